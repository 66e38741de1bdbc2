package io.alertrelay.port;

import io.alertrelay.logging.entry.LogEntry;
import java.time.Duration;

/**
 * Where the pipeline's log entries go (DESIGN §8): the Log Analytics table through the Logs Ingestion API in Azure,
 * JSON lines locally. A sink never blocks its caller beyond a bounded offer and never throws; what it cannot keep it
 * drops and counts.
 */
public interface LogSink extends HealthProbe, AutoCloseable {

    /**
     * Hands one entry over. Returns at once (at most the sink's bounded offer time) and never throws.
     *
     * @return false when the entry was dropped (buffer full, sink closed, write failed)
     */
    boolean offer(LogEntry entry);

    /**
     * Waits, at most {@code timeout}, until every entry offered before this call has been sent or dropped.
     *
     * @return true when all were settled in time
     */
    default boolean flush(Duration timeout) {
        return true;
    }

    /** What the health endpoint says of this sink: "configured", or what it is ("ok (JSON lines …)"). */
    @Override
    default String health() {
        return "configured";
    }

    /** Entries dropped since the sink was made. */
    default long dropped() {
        return 0;
    }

    /** Flushes with the sink's bounded wait, then releases its resources; later offers are dropped. Never throws. */
    @Override
    default void close() {
    }

    /** A sink that keeps nothing and counts nothing (no table configured). */
    static LogSink none() {
        return Discarding.INSTANCE;
    }

    /** The sink of {@link #none()}. */
    enum Discarding implements LogSink {
        INSTANCE;

        @Override
        public boolean offer(LogEntry entry) {
            return true;
        }

        @Override
        public String health() {
            return "unconfigured";
        }
    }
}
