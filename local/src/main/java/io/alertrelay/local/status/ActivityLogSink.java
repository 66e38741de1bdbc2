package io.alertrelay.local.status;

import io.alertrelay.logging.entry.LogEntry;
import io.alertrelay.port.LogSink;
import java.time.Duration;

/** Hands every entry to the real sink and shows it to the status page's {@link PipelineActivity} on the way. */
public final class ActivityLogSink implements LogSink {

    private final LogSink sink;
    private final PipelineActivity activity;

    public ActivityLogSink(LogSink sink, PipelineActivity activity) {
        this.sink = sink;
        this.activity = activity;
    }

    @Override
    public boolean offer(LogEntry entry) {
        if (entry != null) {
            try {
                activity.record(entry);
            } catch (RuntimeException e) {
                // the status page is a view: it never costs the pipeline an entry
            }
        }
        return sink.offer(entry);
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
