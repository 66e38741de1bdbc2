package io.alertrelay.testing;

import io.alertrelay.logging.entry.LogEntry;
import io.alertrelay.port.LogSink;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/**
 * Keeps the last {@code capacity} entries in memory: for tests of the functions and the local runtime that assert
 * what was logged. Older entries make room for newer ones (not counted as drops).
 */
public final class InMemoryLogSink implements LogSink {

    private final int capacity;
    private final Deque<LogEntry> entries = new ArrayDeque<>();

    public InMemoryLogSink() {
        this(10_000);
    }

    public InMemoryLogSink(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
    }

    @Override
    public synchronized boolean offer(LogEntry entry) {
        if (entry == null) {
            return false;
        }
        if (entries.size() == capacity) {
            entries.removeFirst();
        }
        entries.addLast(entry);
        return true;
    }

    /** A copy of the entries kept, oldest first. */
    public synchronized List<LogEntry> entries() {
        return new ArrayList<>(entries);
    }

    /** The entries kept that match, oldest first. */
    public synchronized List<LogEntry> entries(Predicate<LogEntry> filter) {
        return entries.stream().filter(filter).toList();
    }

    public synchronized void clear() {
        entries.clear();
    }
}
