package io.alertrelay.domain;
// TEMPORARY placeholder until the normaliser branch merges.
public final class EventIdentity { public static String alertKey(PlatformEvent event) { return event.id(); } }
