package io.alertrelay.local.servicebus;

import java.time.Duration;

/** The entity properties the emulator applies to every topic and subscription. */
record EntitySettings(Duration lockDuration, int maxDeliveryCount, Duration duplicateDetectionWindow,
        int maxMessageBytes) {
}
