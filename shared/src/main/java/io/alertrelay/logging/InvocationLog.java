package io.alertrelay.logging;

import io.alertrelay.logging.entry.Stage;

import io.alertrelay.logging.entry.Outcome;

import io.alertrelay.logging.entry.LogProperty;

import io.alertrelay.logging.entry.LogLevel;

import io.alertrelay.logging.entry.LogEntry;

import io.alertrelay.domain.AlertData;
import io.alertrelay.domain.PlatformEvent;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The log of one function invocation: operation, invocation id and (once known) tenant and event are on every entry.
 * Immutable: {@link #tenant} and {@link #event} return a new log carrying more context. Entries are made with
 * {@link #at(Stage)} and written with {@link Entry#log(String)}; nothing here ever throws into the pipeline.
 */
public final class InvocationLog {

    /** Longest message kept; a row may hold 32 KB per string column. */
    static final int MAX_MESSAGE_CHARS = 8_000;
    /** Longest string property value kept. */
    static final int MAX_PROPERTY_CHARS = 1_000;
    private static final int MAX_CAUSES = 3;

    private final PipelineLog owner;
    private final String operation;
    private final String invocationId;
    private final Logger functionLogger;
    private final long startNanos;
    private final String tenant;
    private final String eventId;
    private final String eventType;
    private final Map<LogProperty, Object> eventProperties;

    InvocationLog(PipelineLog owner, String operation, String invocationId, Logger functionLogger, long startNanos) {
        this(owner, operation, invocationId, functionLogger, startNanos, null, null, null, Map.of());
    }

    private InvocationLog(PipelineLog owner, String operation, String invocationId, Logger functionLogger,
                          long startNanos, String tenant, String eventId, String eventType,
                          Map<LogProperty, Object> eventProperties) {
        this.owner = owner;
        this.operation = operation;
        this.invocationId = invocationId;
        this.functionLogger = functionLogger;
        this.startNanos = startNanos;
        this.tenant = tenant;
        this.eventId = eventId;
        this.eventType = eventType;
        this.eventProperties = eventProperties;
    }

    /** The same log with the tenant on every later entry. */
    public InvocationLog tenant(String tenant) {
        return new InvocationLog(owner, operation, invocationId, functionLogger, startNanos, tenant, eventId,
                eventType, eventProperties);
    }

    /**
     * The same log with the event's id, type and tenant on every later entry, and its schema, severity, condition,
     * monitoring service, signal type, rule and first target in {@code Properties}.
     */
    public InvocationLog event(PlatformEvent event) {
        if (event == null) {
            return this;
        }
        Map<LogProperty, Object> props = new EnumMap<>(LogProperty.class);
        try {
            AlertData d = event.data();
            putShort(props, LogProperty.SCHEMA, d.schema());
            putShort(props, LogProperty.SEVERITY, d.severity());
            putShort(props, LogProperty.CONDITION, d.condition());
            putShort(props, LogProperty.MONITORING_SERVICE, d.monitoringService());
            putShort(props, LogProperty.SIGNAL_TYPE, d.signalType());
            putShort(props, LogProperty.ALERT_RULE, d.alertRule());
            putShort(props, LogProperty.TARGET_RESOURCE, event.subject());
        } catch (RuntimeException e) {
            owner.failed();
        }
        return new InvocationLog(owner, operation, invocationId, functionLogger, startNanos, event.tenant(),
                event.id(), event.type().value(), Map.copyOf(props));
    }

    /** The same log with these ids on every later entry (when only the message's ids are known). */
    public InvocationLog event(String eventId, String eventType, String tenant) {
        return new InvocationLog(owner, operation, invocationId, functionLogger, startNanos,
                tenant != null ? tenant : this.tenant, eventId, eventType, eventProperties);
    }

    /** Starts an entry for this stage; write it with {@link Entry#log(String)}. */
    public Entry at(Stage stage) {
        return new Entry(stage);
    }

    /** Writes an entry of this stage with its usual outcome and level. */
    public void log(Stage stage, String message) {
        at(stage).log(message);
    }

    /** Time since {@link PipelineLog#forInvocation}. */
    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    public String operation() {
        return operation;
    }

    public String invocationId() {
        return invocationId;
    }

    public String tenant() {
        return tenant;
    }

    public String eventId() {
        return eventId;
    }

    private void putShort(Map<LogProperty, Object> props, LogProperty key, String value) {
        if (value != null) {
            props.put(key, owner.redaction().scrub(value, MAX_PROPERTY_CHARS));
        }
    }

    /** One entry being made: outcome and level default from the stage, duration from the invocation's start. */
    public final class Entry {
        private final Stage stage;
        private Outcome outcome;
        private LogLevel level;
        private Double durationMs;
        private Map<LogProperty, Object> properties;

        private Entry(Stage stage) {
            this.stage = stage;
        }

        /** How the step ended; defaults to the stage's {@link Stage#usualOutcome()}. */
        public Entry outcome(Outcome outcome) {
            this.outcome = outcome;
            return this;
        }

        /** The level; defaults to the outcome's {@link Outcome#usualLevel()}. */
        public Entry level(LogLevel level) {
            this.level = level;
            return this;
        }

        /** The step's own duration instead of the time since the invocation started. */
        public Entry duration(Duration duration) {
            this.durationMs = duration == null ? null : duration.toNanos() / 1_000_000.0;
            return this;
        }

        /** The step's own duration in milliseconds. */
        public Entry durationMs(double millis) {
            this.durationMs = Double.isFinite(millis) ? millis : null;
            return this;
        }

        /**
         * One allow-listed property. Numbers and booleans are kept; anything else becomes a string, redacted and cut
         * to {@value InvocationLog#MAX_PROPERTY_CHARS} characters; null removes the key.
         */
        public Entry property(LogProperty key, Object value) {
            if (key == null) {
                return this;
            }
            if (properties == null) {
                properties = new EnumMap<>(LogProperty.class);
            }
            try {
                Object v = safeValue(value);
                if (v == null) {
                    properties.remove(key);
                } else {
                    properties.put(key, v);
                }
            } catch (RuntimeException e) {
                owner.failed();
            }
            return this;
        }

        /** Several allow-listed properties at once. */
        public Entry properties(Map<LogProperty, ?> values) {
            if (values != null) {
                values.forEach(this::property);
            }
            return this;
        }

        /** The failure behind this entry: its class and its (redacted) message with up to three causes. */
        public Entry error(Throwable error) {
            if (error == null) {
                return this;
            }
            property(LogProperty.ERROR_TYPE, error.getClass().getName());
            // never more than the property keeps, and what scrubbing looks at past its cut: an exception may quote
            // a whole request (1 MiB copied twice cost milliseconds, and pauses to collect it)
            int budget = MAX_PROPERTY_CHARS + owner.redaction().cutMargin() + 1;
            StringBuilder text = new StringBuilder(256);
            appendBounded(text, String.valueOf(error.getMessage()), budget);
            Throwable cause = error.getCause();
            for (int i = 0; cause != null && cause != error && i < MAX_CAUSES && text.length() < budget;
                    i++, cause = cause.getCause()) {
                appendBounded(text, "; caused by " + cause.getClass().getName() + ": ", budget);
                appendBounded(text, String.valueOf(cause.getMessage()), budget);
            }
            return property(LogProperty.ERROR_MESSAGE, text.toString());
        }

        private static void appendBounded(StringBuilder text, String part, int budget) {
            int room = budget - text.length();
            if (room > 0) {
                text.append(part, 0, Math.min(part.length(), room));
            }
        }

        /**
         * Writes the entry to the table's sink and to the function's logger. Never throws; returns at once (the sink
         * only offers the entry to its buffer).
         */
        public void log(String message) {
            LogEntry entry;
            try {
                Outcome o = outcome != null ? outcome : stage.usualOutcome();
                LogLevel l = level != null ? level : o.usualLevel();
                Double ms = durationMs != null ? durationMs : (System.nanoTime() - startNanos) / 1_000_000.0;
                Map<LogProperty, Object> props = eventProperties;
                if (properties != null && !properties.isEmpty()) {
                    props = new EnumMap<>(LogProperty.class);
                    props.putAll(eventProperties);
                    props.putAll(properties);
                }
                entry = new LogEntry(owner.clock().instant(), l, owner.redaction().scrub(message, MAX_MESSAGE_CHARS),
                        operation, stage, eventId, eventType, tenant, invocationId, ms, o, props);
            } catch (RuntimeException | LinkageError e) {
                owner.failed();
                return;
            }
            try {
                owner.sink().offer(entry);
            } catch (RuntimeException | LinkageError e) {
                owner.failed();
            }
            writeToFunctionLogger(entry);
        }

        private Object safeValue(Object value) {
            if (value == null) {
                return null;
            }
            if (value instanceof Boolean) {
                return value;
            }
            if (value instanceof Double d) {
                return Double.isFinite(d) ? d : null;
            }
            if (value instanceof Float f) {
                return Float.isFinite(f) ? f.doubleValue() : null;
            }
            if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
                return ((Number) value).longValue();
            }
            if (value instanceof Enum<?> e) {
                return e.toString();
            }
            return owner.redaction().scrub(String.valueOf(value), MAX_PROPERTY_CHARS);
        }
    }

    private void writeToFunctionLogger(LogEntry e) {
        Logger logger = functionLogger;
        if (logger == null) {
            return;
        }
        try {
            Level level = e.level().julLevel();
            if (!logger.isLoggable(level)) {
                return;
            }
            StringBuilder text = new StringBuilder(96 + e.message().length());
            text.append('[').append(e.stage().value()).append('/').append(e.outcome().value()).append("] ")
                    .append(e.message());
            text.append(" (");
            if (e.eventId() != null) {
                text.append("event ").append(e.eventId()).append(", ");
            }
            if (e.eventType() != null) {
                text.append("type ").append(e.eventType()).append(", ");
            }
            if (e.tenant() != null) {
                text.append("tenant ").append(e.tenant()).append(", ");
            }
            if (e.durationMs() != null) {
                text.append(Math.round(e.durationMs() * 10) / 10.0).append(" ms");
            }
            e.properties().forEach((k, v) -> text.append(", ").append(k.key()).append('=').append(v));
            text.append(')');
            logger.log(level, text.toString());
        } catch (RuntimeException | LinkageError failure) {
            owner.failed();
        }
    }
}
