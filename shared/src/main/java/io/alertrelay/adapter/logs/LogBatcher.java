package io.alertrelay.adapter.logs;

import io.alertrelay.logging.entry.LogEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A bounded in-memory buffer of log entries, drained by one daemon thread in batches: a batch goes to the handler
 * when {@code maxBatchEntries} are waiting or {@code flushInterval} after its first entry arrived, whichever is first
 * (or at once when someone flushes). Offers never block beyond the offer timeout; what the full buffer refuses and
 * what is left at stop is dropped and counted. Every entry taken in is eventually "settled" — handed over or dropped
 * — which is what {@link #flush} waits for.
 */
final class LogBatcher {

    private static final Object WAKE = new Object();

    private final ArrayBlockingQueue<Object> queue;
    private final int maxBatchEntries;
    private final long flushIntervalNanos;
    private final long offerTimeoutNanos;
    private final DropCounter drops;
    private final Consumer<List<LogEntry>> handler;
    private final LongAdder accepted = new LongAdder();
    private final AtomicLong settled = new AtomicLong();
    private final AtomicLong flushUpTo = new AtomicLong();
    private final Object settledSignal = new Object();
    private final Thread worker;
    private volatile boolean stopped;

    /** @param handler sends one batch; whatever it does not send it drops and counts itself, and must not throw */
    LogBatcher(int capacity, int maxBatchEntries, Duration flushInterval, Duration offerTimeout, DropCounter drops,
               String threadName, Consumer<List<LogEntry>> handler) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.maxBatchEntries = maxBatchEntries;
        this.flushIntervalNanos = flushInterval.toNanos();
        this.offerTimeoutNanos = offerTimeout.toNanos();
        this.drops = drops;
        this.handler = handler;
        this.worker = new Thread(this::run, threadName);
        worker.setDaemon(true);
        worker.start();
    }

    boolean offer(LogEntry entry) {
        boolean ok;
        try {
            ok = offerTimeoutNanos <= 0 ? queue.offer(entry) : queue.offer(entry, offerTimeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ok = false;
        }
        if (ok) {
            accepted.increment();
        } else {
            drops.drop(1, "buffer full (" + (queue.size() + queue.remainingCapacity()) + " entries)");
        }
        return ok;
    }

    /** Waits, at most {@code timeout}, until every entry accepted before this call is settled. */
    boolean flush(Duration timeout) {
        long target = accepted.sum();
        long deadline = System.nanoTime() + timeout.toNanos();
        flushUpTo.accumulateAndGet(target, Math::max);
        queue.offer(WAKE); // wakes a worker lingering for more entries; if the buffer is full it is not lingering
        synchronized (settledSignal) {
            while (settled.get() < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !worker.isAlive()) {
                    return settled.get() >= target;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(settledSignal, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    /** Flushes (bounded), stops the worker, and drops what is still buffered. */
    void stop(Duration timeout) throws InterruptedException {
        flush(timeout);
        stopped = true;
        worker.interrupt();
        worker.join(1_000);
        List<Object> left = new ArrayList<>();
        queue.drainTo(left);
        long unsent = left.stream().filter(o -> o != WAKE).count();
        drops.drop(unsent, "not sent before close");
        settle(unsent);
    }

    long accepted() {
        return accepted.sum();
    }

    int buffered() {
        return queue.size();
    }

    private void run() {
        List<LogEntry> batch = new ArrayList<>(maxBatchEntries);
        while (!stopped) {
            try {
                Object first = queue.poll(flushIntervalNanos, TimeUnit.NANOSECONDS);
                if (first == null) {
                    drops.maybeWarn();
                    continue;
                }
                add(batch, first);
                fill(batch, System.nanoTime() + flushIntervalNanos);
                if (!batch.isEmpty()) {
                    handler.accept(batch);
                }
            } catch (InterruptedException e) {
                drops.drop(batch.size(), "sender stopped");
            } catch (Throwable t) {
                drops.drop(batch.size(), "sender failed: " + t.getClass().getSimpleName());
            } finally {
                settle(batch.size());
                batch.clear();
            }
        }
    }

    /** Takes more entries into the batch until it is full, a flush waits, or the deadline passes. */
    private void fill(List<LogEntry> batch, long deadline) throws InterruptedException {
        List<Object> drained = new ArrayList<>(maxBatchEntries);
        while (batch.size() < maxBatchEntries) {
            drained.clear();
            queue.drainTo(drained, maxBatchEntries - batch.size());
            for (Object o : drained) {
                add(batch, o);
            }
            if (batch.size() >= maxBatchEntries || flushUpTo.get() > settled.get() || stopped) {
                return;
            }
            long wait = deadline - System.nanoTime();
            if (wait <= 0) {
                return;
            }
            Object next = queue.poll(wait, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            add(batch, next);
        }
    }

    private static void add(List<LogEntry> batch, Object o) {
        if (o instanceof LogEntry e) {
            batch.add(e);
        }
    }

    private void settle(long n) {
        if (n <= 0) {
            return;
        }
        settled.addAndGet(n);
        synchronized (settledSignal) {
            settledSignal.notifyAll();
        }
    }
}
