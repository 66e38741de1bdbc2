package io.alertrelay.bench;

import io.alertrelay.domain.DeliveryOutcome;
import io.alertrelay.port.PlatformClient;
import java.time.Duration;

/** The real platform client, with its calls counted and their calling-thread CPU (signing, OkHttp's call). */
final class MeteredPlatform implements PlatformClient {

    private final PlatformClient platform;
    final CpuMeter cpu = new CpuMeter();

    MeteredPlatform(PlatformClient platform) {
        this.platform = platform;
    }

    @Override
    public DeliveryOutcome deliver(String eventId, byte[] cloudEventJson, AttemptGate gate) {
        return cpu.measure(() -> platform.deliver(eventId, cloudEventJson, gate));
    }

    @Override
    public Duration longestDelivery() {
        return platform.longestDelivery();
    }
}
