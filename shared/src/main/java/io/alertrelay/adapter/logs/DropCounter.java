package io.alertrelay.adapter.logs;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Counts dropped entries and reports them by a rate-limited warning: at most one per interval, with the count since
 * the last warning, the total and the last reason. Cheap on the caller's side: a drop is two adds and a time check.
 */
final class DropCounter {

    private final String sinkName;
    private final Logger logger;
    private final long intervalNanos;
    private final LongAdder total = new LongAdder();
    private final LongAdder sinceWarning = new LongAdder();
    private final AtomicLong lastWarningNanos;
    private volatile String lastReason = "";

    DropCounter(String sinkName, Logger logger, Duration interval) {
        this.sinkName = sinkName;
        this.logger = logger;
        this.intervalNanos = interval.toNanos();
        this.lastWarningNanos = new AtomicLong(System.nanoTime() - intervalNanos); // the first drop warns at once
    }

    void drop(long count, String reason) {
        if (count <= 0) {
            return;
        }
        total.add(count);
        sinceWarning.add(count);
        lastReason = reason;
        maybeWarn();
    }

    /** Warns if entries were dropped since the last warning and the interval has passed. */
    void maybeWarn() {
        if (sinceWarning.sum() == 0) {
            return;
        }
        long now = System.nanoTime();
        long last = lastWarningNanos.get();
        if (now - last < intervalNanos || !lastWarningNanos.compareAndSet(last, now)) {
            return;
        }
        warn();
    }

    /** Warns now if anything was dropped since the last warning (on close: the last word). */
    void warnNow() {
        lastWarningNanos.set(System.nanoTime());
        warn();
    }

    private void warn() {
        long n = sinceWarning.sumThenReset();
        if (n > 0) {
            try {
                logger.log(Level.WARNING, sinkName + " dropped " + n + " log entr" + (n == 1 ? "y" : "ies")
                        + " since its last warning (" + total.sum() + " in all); last reason: " + lastReason);
            } catch (RuntimeException ignored) {
                // a broken handler must not break logging
            }
        }
    }

    long total() {
        return total.sum();
    }
}
