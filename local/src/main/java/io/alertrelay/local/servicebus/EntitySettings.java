package io.alertrelay.local.servicebus;

import java.time.Duration;

/**
 * The entity properties the emulator applies to every topic and subscription.
 *
 * @param maxTopicBytes a topic's maximum size ({@code maxSizeInMegabytes} in bytes): once its messages reach it, sends
 *                      are refused
 */
record EntitySettings(Duration lockDuration, int maxDeliveryCount, Duration duplicateDetectionWindow,
        int maxMessageBytes, long maxTopicBytes) {
}
