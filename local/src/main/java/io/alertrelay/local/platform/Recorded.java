package io.alertrelay.local.platform;

import java.util.List;

/**
 * Deliveries read from the receiver's record, and where the next read should start.
 *
 * @param deliveries what was read, in the order recorded
 * @param next       the position after the last delivery recorded so far: pass it to read only what comes after
 */
public record Recorded(List<Delivery> deliveries, int next) {
}
