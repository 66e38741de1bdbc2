package io.alertrelay.domain;

/**
 * The delivery lane of an alert (issue 14): {@link #STANDARD} for every tenant within its fair share, {@link #BULK}
 * for a tenant above it, and for replays. The webhook sets it as the message's application property
 * {@value #PROPERTY}; each lane is a subscription of the alerts topic whose SQL filter selects its messages, with a
 * function of its own (AlertDequeuer, AlertDequeuerBulk), so a flood queues in the bulk lane and never in front of
 * another tenant's alerts.
 */
public enum Lane {
    STANDARD("standard"),
    BULK("bulk");

    /** The application property that carries the lane; the subscriptions' filters read it. */
    public static final String PROPERTY = "lane";

    private final String value;

    Lane(String value) {
        this.value = value;
    }

    /** The property's value on the message. */
    public String value() {
        return value;
    }
}
