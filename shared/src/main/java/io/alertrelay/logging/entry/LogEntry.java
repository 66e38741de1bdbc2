package io.alertrelay.logging.entry;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One row of the Log Analytics table {@code AlertRelay_CL} (DESIGN §8). Entries are made only by {@link PipelineLog}
 * (so every message and property has passed {@link Redaction} and the property allow-list); sinks turn them into
 * rows with {@link #toRow()}.
 *
 * <p>{@link #COLUMNS} is the code's side of the table schema; the schema itself is written once in
 * {@code infra/log-analytics/alertrelay-table.json}, and a test holds the two equal.
 */
public final class LogEntry {

    /** A column of the table with its Log Analytics type (string, real, datetime, dynamic, ...). */
    public record Column(String name, String type) {
    }

    public static final String TIME_GENERATED = "TimeGenerated";
    public static final String LEVEL = "Level";
    public static final String MESSAGE = "Message";
    public static final String OPERATION = "Operation";
    public static final String STAGE = "Stage";
    public static final String EVENT_ID = "EventId";
    public static final String EVENT_TYPE = "EventType";
    public static final String TENANT = "Tenant";
    public static final String INVOCATION_ID = "InvocationId";
    public static final String DURATION_MS = "DurationMs";
    public static final String OUTCOME = "Outcome";
    public static final String PROPERTIES = "Properties";

    /** Every column of a row, in order. ({@code TenantId} is reserved by Log Analytics and never used.) */
    public static final List<Column> COLUMNS = List.of(
            new Column(TIME_GENERATED, "datetime"),
            new Column(LEVEL, "string"),
            new Column(MESSAGE, "string"),
            new Column(OPERATION, "string"),
            new Column(STAGE, "string"),
            new Column(EVENT_ID, "string"),
            new Column(EVENT_TYPE, "string"),
            new Column(TENANT, "string"),
            new Column(INVOCATION_ID, "string"),
            new Column(DURATION_MS, "real"),
            new Column(OUTCOME, "string"),
            new Column(PROPERTIES, "dynamic"));

    private final Instant timeGenerated;
    private final LogLevel level;
    private final String message;
    private final String operation;
    private final Stage stage;
    private final String eventId;
    private final String eventType;
    private final String tenant;
    private final String invocationId;
    private final Double durationMs;
    private final Outcome outcome;
    private final Map<LogProperty, Object> properties;

    /** For {@link io.alertrelay.logging.PipelineLog} only (ArchitectureTest holds every other caller off). */
    public LogEntry(Instant timeGenerated, LogLevel level, String message, String operation, Stage stage, String eventId,
             String eventType, String tenant, String invocationId, Double durationMs, Outcome outcome,
             Map<LogProperty, Object> properties) {
        this.timeGenerated = Objects.requireNonNull(timeGenerated, "timeGenerated");
        this.level = Objects.requireNonNull(level, "level");
        this.message = message == null ? "" : message;
        this.operation = operation;
        this.stage = Objects.requireNonNull(stage, "stage");
        this.eventId = eventId;
        this.eventType = eventType;
        this.tenant = tenant;
        this.invocationId = invocationId;
        this.durationMs = durationMs;
        this.outcome = Objects.requireNonNull(outcome, "outcome");
        this.properties = properties == null || properties.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new EnumMap<>(properties));
    }

    /**
     * The row as the table's stream takes it: exactly the {@link #COLUMNS}, in order; {@code TimeGenerated} an
     * ISO-8601 UTC string, {@code DurationMs} a number (or null), {@code Properties} an object (never null), the rest
     * strings (or null). A new map on each call.
     */
    public Map<String, Object> toRow() {
        Map<String, Object> row = new LinkedHashMap<>(24);
        row.put(TIME_GENERATED, timeGenerated.truncatedTo(ChronoUnit.MICROS).toString());
        row.put(LEVEL, level.value());
        row.put(MESSAGE, message);
        row.put(OPERATION, operation);
        row.put(STAGE, stage.value());
        row.put(EVENT_ID, eventId);
        row.put(EVENT_TYPE, eventType);
        row.put(TENANT, tenant);
        row.put(INVOCATION_ID, invocationId);
        row.put(DURATION_MS, durationMs);
        row.put(OUTCOME, outcome.value());
        Map<String, Object> props = new LinkedHashMap<>();
        properties.forEach((k, v) -> props.put(k.key(), v));
        row.put(PROPERTIES, props);
        return row;
    }

    public Instant timeGenerated() {
        return timeGenerated;
    }

    public LogLevel level() {
        return level;
    }

    public String message() {
        return message;
    }

    public String operation() {
        return operation;
    }

    public Stage stage() {
        return stage;
    }

    public String eventId() {
        return eventId;
    }

    public String eventType() {
        return eventType;
    }

    public String tenant() {
        return tenant;
    }

    public String invocationId() {
        return invocationId;
    }

    /** Null when neither a duration nor an invocation start is known. */
    public Double durationMs() {
        return durationMs;
    }

    public Outcome outcome() {
        return outcome;
    }

    public Map<LogProperty, Object> properties() {
        return properties;
    }

    @Override
    public String toString() {
        return "LogEntry" + toRow();
    }
}
