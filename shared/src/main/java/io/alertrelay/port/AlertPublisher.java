package io.alertrelay.port;

/**
 * Makes an alert durable on the message bus. {@link #publish} returns only once the broker acknowledged the message;
 * any failure (unreachable, timed out, refused) is a {@link PublishFailedException}.
 */
public interface AlertPublisher {

    void publish(AlertMessage message);

    /** A cheap probe for the health endpoint: "ok", or a short reason that holds no secret. */
    default String health() {
        return "unknown";
    }
}
