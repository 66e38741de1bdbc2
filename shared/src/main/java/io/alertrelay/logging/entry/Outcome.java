package io.alertrelay.logging.entry;

/** How a step ended, the {@code Outcome} column; each implies a {@link LogLevel} unless the caller says otherwise. */
public enum Outcome {
    /** The step did what it is for. */
    SUCCESS("success", LogLevel.INFORMATION),
    /** Already done by an earlier delivery or call (duplicate detection, idempotent replay). */
    DUPLICATE("duplicate", LogLevel.INFORMATION),
    /** Deliberately not done (a superseded Fired). */
    SKIPPED("skipped", LogLevel.INFORMATION),
    /** Refused for good; retrying will not help. */
    REJECTED("rejected", LogLevel.WARNING),
    /** Failed in a way a retry may cure; it will be retried (here, by the broker or by Azure Monitor). */
    TRANSIENT_FAILURE("transient-failure", LogLevel.WARNING),
    /** Failed for good: dead-lettered, unreadable, or unexpected. */
    FAILURE("failure", LogLevel.ERROR);

    private final String value;
    private final LogLevel usualLevel;

    Outcome(String value, LogLevel usualLevel) {
        this.value = value;
        this.usualLevel = usualLevel;
    }

    /** The value written to the table. */
    public String value() {
        return value;
    }

    public LogLevel usualLevel() {
        return usualLevel;
    }

    @Override
    public String toString() {
        return value;
    }
}
