package io.alertrelay.bench;

import io.alertrelay.logging.entry.LogEntry;
import io.alertrelay.port.LogSink;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** The real sink, with the calling-thread CPU of each offer, and the entries kept to be built again in isolation. */
final class MeteredLogSink implements LogSink {

    private final LogSink sink;
    final CpuMeter cpu = new CpuMeter();
    private final ConcurrentLinkedQueue<LogEntry> kept = new ConcurrentLinkedQueue<>();

    MeteredLogSink(LogSink sink) {
        this.sink = sink;
    }

    @Override
    public boolean offer(LogEntry entry) {
        kept.add(entry);
        return cpu.measure(() -> sink.offer(entry));
    }

    /** The entries offered since the last call. */
    List<LogEntry> takeEntries() {
        List<LogEntry> out = new java.util.ArrayList<>();
        for (LogEntry e = kept.poll(); e != null; e = kept.poll()) {
            out.add(e);
        }
        return out;
    }

    @Override
    public boolean flush(Duration timeout) {
        return sink.flush(timeout);
    }

    @Override
    public String health() {
        return sink.health();
    }

    @Override
    public long dropped() {
        return sink.dropped();
    }

    @Override
    public void close() {
        sink.close();
    }
}
