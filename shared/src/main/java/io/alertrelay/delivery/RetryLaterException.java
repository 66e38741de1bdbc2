package io.alertrelay.delivery;

/**
 * The event could not be delivered now but may be later (platform 5xx/408/429, timeout, network or store failure).
 * The function lets it escape so the host abandons the message and the broker redelivers it; after
 * MAX_DELIVERY_COUNT deliveries the broker dead-letters it.
 */
public class RetryLaterException extends RuntimeException {

    private final boolean lastDelivery;

    public RetryLaterException(String message, boolean lastDelivery, Throwable cause) {
        super(message, cause);
        this.lastDelivery = lastDelivery;
    }

    /** True when this was the last delivery the broker allows: the document is already marked deadlettered. */
    public boolean lastDelivery() {
        return lastDelivery;
    }
}
