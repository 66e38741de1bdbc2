package io.alertrelay.domain;
// TEMPORARY placeholder until the normaliser branch merges.
public final class PlatformEventCodec { public static byte[] toJson(PlatformEvent e) { return new byte[0]; } public static PlatformEvent fromJson(byte[] b) { throw new UnreadableEventException("x", null); } }
