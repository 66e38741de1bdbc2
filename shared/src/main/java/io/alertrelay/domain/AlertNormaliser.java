package io.alertrelay.domain;
// TEMPORARY placeholder until the normaliser branch merges; never committed.
public class AlertNormaliser { public PlatformEvent normalise(String tenant, byte[] body) { throw new InvalidNotificationException("x"); } }
