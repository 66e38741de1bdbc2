package io.alertrelay.domain;
// TEMPORARY placeholder until the normaliser branch merges.
public class UnreadableEventException extends RuntimeException { public UnreadableEventException(String m, Throwable c) { super(m, c); } }
