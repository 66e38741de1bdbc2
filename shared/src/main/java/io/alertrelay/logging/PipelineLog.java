package io.alertrelay.logging;

import io.alertrelay.logging.entry.Stage;

import io.alertrelay.logging.entry.LogProperty;

import io.alertrelay.port.LogSink;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * The pipeline's structured log (DESIGN §8): one per process, built by the wiring from a {@link LogSink} (Log
 * Analytics through the Logs Ingestion API in Azure, JSON lines locally) and a {@link Redaction} made from the
 * settings. Each function invocation asks it for an {@link InvocationLog}:
 *
 * <pre>{@code
 * InvocationLog log = pipelineLog.forInvocation("AlertWebhook", context.getInvocationId(), context.getLogger())
 *         .tenant(tenant);
 * ...
 * log = log.event(event);
 * log.at(Stage.PUBLISHED).property(LogProperty.HTTP_STATUS, 202).log("alert published");
 * }</pre>
 *
 * Every entry goes to the sink and to the function's own logger (so Application Insights keeps its traces). Logging
 * never throws into the caller and never blocks beyond the sink's bounded offer.
 */
public final class PipelineLog {

    private final LogSink sink;
    private final Redaction redaction;
    private final Clock clock;
    private final LongAdder failures = new LongAdder();

    private PipelineLog(LogSink sink, Redaction redaction, Clock clock) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.redaction = Objects.requireNonNull(redaction, "redaction");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Entries to this sink, scrubbed by this redaction (use {@link Redaction#forSettings}). */
    public static PipelineLog of(LogSink sink, Redaction redaction) {
        return new PipelineLog(sink, redaction, Clock.systemUTC());
    }

    /** As {@link #of(LogSink, Redaction)}, with the clock that stamps {@code TimeGenerated}. */
    public static PipelineLog of(LogSink sink, Redaction redaction, Clock clock) {
        return new PipelineLog(sink, redaction, clock);
    }

    /** Writes nowhere: for callers without a log (unit tests, benchmarks of the use cases). */
    public static InvocationLog discard(String operation) {
        return DISCARD.forInvocation(operation, "-", null);
    }

    private static final PipelineLog DISCARD = new PipelineLog(LogSink.none(), Redaction.patternsOnly(),
            Clock.systemUTC());

    /** Entries only to the function loggers (no table configured), still scrubbed by the pattern rules. */
    public static PipelineLog functionLoggerOnly() {
        return new PipelineLog(LogSink.none(), Redaction.patternsOnly(), Clock.systemUTC());
    }

    /**
     * The log of one function invocation; its entries' {@code DurationMs} count from now unless a step's own
     * duration is given.
     *
     * @param operation      the function's name (AlertWebhook, AlertDequeuer, ...)
     * @param invocationId   the host's invocation id ({@code ExecutionContext.getInvocationId()})
     * @param functionLogger the function's logger ({@code ExecutionContext.getLogger()}); null writes to no logger
     */
    public InvocationLog forInvocation(String operation, String invocationId, Logger functionLogger) {
        return new InvocationLog(this, operation, invocationId, functionLogger, System.nanoTime());
    }

    public LogSink sink() {
        return sink;
    }

    /** Entries the sink refused or lost (buffer full, service unreachable, ...). */
    public long dropped() {
        return sink.dropped();
    }

    /** Log calls that failed inside this module (a bug, or a throwing logger handler); never seen by callers. */
    public long failures() {
        return failures.sum();
    }

    Redaction redaction() {
        return redaction;
    }

    Clock clock() {
        return clock;
    }

    void failed() {
        failures.increment();
    }
}
