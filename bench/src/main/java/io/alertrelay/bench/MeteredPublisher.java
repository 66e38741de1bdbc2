package io.alertrelay.bench;

import io.alertrelay.domain.AlertMessage;
import io.alertrelay.port.AlertPublisher;

/** The real publisher, with its sends counted (one Service Bus operation each) and their calling-thread CPU. */
final class MeteredPublisher implements AlertPublisher {

    private final AlertPublisher publisher;
    final CpuMeter cpu = new CpuMeter();

    MeteredPublisher(AlertPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void publish(AlertMessage message) {
        cpu.measure(() -> publisher.publish(message));
    }

    @Override
    public String health() {
        return publisher.health();
    }
}
