package io.alertrelay.logging.entry;

/**
 * The steps of the pipeline (DESIGN §8), the {@code Stage} column of {@code AlertRelay_CL}. Each has the outcome
 * it usually ends with, which an entry takes unless the caller says otherwise.
 */
public enum Stage {
    /** The webhook accepted a notification (authenticated, parsed, normalised) or the dequeuer took a message. */
    RECEIVED("received", Outcome.SUCCESS),
    /** Input refused for good: bad tenant, token, body, size, content type; or the platform answered 4xx. */
    REJECTED("rejected", Outcome.REJECTED),
    /** Service Bus acknowledged the message. */
    PUBLISHED("published", Outcome.SUCCESS),
    /** The document is in the store. */
    STORED("stored", Outcome.SUCCESS),
    /** The platform endpoint accepted the event. */
    DELIVERED("delivered", Outcome.SUCCESS),
    /** A transient failure: retried within the invocation, or handed back to the broker or to Azure Monitor. */
    RETRIED("retried", Outcome.TRANSIENT_FAILURE),
    /** A Fired that arrived after the Resolved of the same instance: stored, not delivered. */
    SUPERSEDED("superseded", Outcome.SKIPPED),
    /** The last allowed delivery failed: the broker dead-letters the message. */
    DEADLETTERED("deadlettered", Outcome.FAILURE),
    /** A stored event was published again by a replay (DESIGN §13); its delivery is logged as any other. */
    REPLAYED("replayed", Outcome.SUCCESS);

    private final String value;
    private final Outcome usualOutcome;

    Stage(String value, Outcome usualOutcome) {
        this.value = value;
        this.usualOutcome = usualOutcome;
    }

    /** The value written to the table. */
    public String value() {
        return value;
    }

    /** The outcome an entry of this stage has unless the caller gives one. */
    public Outcome usualOutcome() {
        return usualOutcome;
    }

    @Override
    public String toString() {
        return value;
    }
}
