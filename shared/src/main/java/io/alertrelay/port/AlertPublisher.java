package io.alertrelay.port;

import io.alertrelay.domain.AlertMessage;

/**
 * Makes an alert durable on the message bus. {@link #publish} returns only once the broker acknowledged the message;
 * any failure (unreachable, timed out, refused) is a {@link PublishFailedException}.
 */
public interface AlertPublisher extends HealthProbe {

    void publish(AlertMessage message);

    @Override
    default String health() {
        return "unknown";
    }
}
