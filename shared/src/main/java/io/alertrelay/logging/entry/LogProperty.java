package io.alertrelay.logging.entry;

/**
 * The keys an entry's {@code Properties} column may hold: an allow-list, so that no caller can pour a map of settings,
 * headers or a payload into a row. Add a key here when a query needs it; values are numbers, booleans or short
 * strings, and strings pass {@link Redaction} like the message does.
 */
public enum LogProperty {
    /** The HTTP status the webhook answered (202, 400, 401, 413, 415, 503). */
    HTTP_STATUS("httpStatus"),
    /** The HTTP status the platform endpoint answered. */
    PLATFORM_STATUS("platformStatus"),
    /** Seconds of a Retry-After given or received. */
    RETRY_AFTER_SECONDS("retryAfterSeconds"),
    /** HTTP calls to the platform in this invocation. */
    ATTEMPTS("attempts"),
    /** The broker's DeliveryCount of the message. */
    DELIVERY_COUNT("deliveryCount"),
    /** MAX_DELIVERY_COUNT in force. */
    MAX_DELIVERY_COUNT("maxDeliveryCount"),
    /** The Service Bus MessageId when it is not the event id (an unreadable message). */
    MESSAGE_ID("messageId"),
    /** The document status afterwards: received, delivered, rejected, superseded, deadlettered. */
    STATUS("status"),
    /** True when an earlier call or delivery had already done this step. */
    DUPLICATE("duplicate"),
    /** The source shape: common, metric, classic-metric, log, activity-log, budget, autoscale, custom. */
    SCHEMA("schema"),
    SEVERITY("severity"),
    CONDITION("condition"),
    MONITORING_SERVICE("monitoringService"),
    SIGNAL_TYPE("signalType"),
    ALERT_RULE("alertRule"),
    /** The first target resource id, lower-cased (the CloudEvents subject). */
    TARGET_RESOURCE("targetResource"),
    /** Size of the request body received. */
    BODY_BYTES("bodyBytes"),
    /** Size of the Service Bus message sent. */
    MESSAGE_BYTES("messageBytes"),
    /** True when the payload went to the store and the message carries a reference (DESIGN §6). */
    CLAIM_CHECK("claimCheck"),
    /** The Content-Type received, when it was refused. */
    CONTENT_TYPE("contentType"),
    /** Why a step was refused or failed, in a few words (e.g. "bad token", "body too large"). */
    REASON("reason"),
    /** The class of the exception behind a failure. */
    ERROR_TYPE("errorType"),
    /** The exception's message, redacted and cut short. */
    ERROR_MESSAGE("errorMessage"),
    /** The replay request a replayed event belongs to. */
    REPLAY_ID("replayId"),
    /** The delivery lane the webhook chose (standard, bulk): the tenant was over its fair share (issue 14). */
    LANE("lane");

    private final String key;

    LogProperty(String key) {
        this.key = key;
    }

    /** The key inside the {@code Properties} object. */
    public String key() {
        return key;
    }

    @Override
    public String toString() {
        return key;
    }
}
