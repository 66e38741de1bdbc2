package io.alertrelay.adapter.logs;

import io.alertrelay.logging.entry.LogEntry;
import io.alertrelay.port.LogSink;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * The local runtime's sink (DESIGN §10): each entry as one JSON line, the same row the Log Analytics table gets
 * (every column of {@code AlertRelay_CL}, nulls included). Lines are written and flushed at once under a lock, so a
 * reader sees whole lines; a failed write drops the entry, counted and reported by a rate-limited warning.
 */
public final class JsonLinesLogSink implements LogSink {

    private final OutputStream out;
    private final boolean closeStream;
    private final DropCounter drops;
    private final String name;
    private final Object lock = new Object();
    private boolean closed;

    private JsonLinesLogSink(OutputStream out, boolean closeStream, String name, Logger warnings) {
        this.out = out;
        this.closeStream = closeStream;
        this.name = name;
        this.drops = new DropCounter("JSON lines sink (" + name + ")", warnings, Duration.ofMinutes(1));
    }

    /** Appends to this file, creating it and its folders. */
    public static JsonLinesLogSink toFile(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        OutputStream stream = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
        return new JsonLinesLogSink(new BufferedOutputStream(stream, 16 * 1024), true, file.toString(), defaultLogger());
    }

    /** Writes to this stream (e.g. standard output); {@link #close()} flushes it but leaves it open. */
    public static JsonLinesLogSink to(OutputStream out) {
        return new JsonLinesLogSink(Objects.requireNonNull(out, "out"), false, "stream", defaultLogger());
    }

    private static Logger defaultLogger() {
        return Logger.getLogger(JsonLinesLogSink.class.getName());
    }

    /** "ok (JSON lines in …)": what the local runtime's health endpoint shows for its log sink. */
    @Override
    public String health() {
        return "ok (JSON lines in " + name + ")";
    }

    @Override
    public boolean offer(LogEntry entry) {
        if (entry == null) {
            return false;
        }
        byte[] line;
        try {
            line = LogRows.json(entry);
        } catch (RuntimeException e) {
            drops.drop(1, "not serialisable: " + e.getClass().getSimpleName());
            return false;
        }
        synchronized (lock) {
            if (closed) {
                drops.drop(1, "offered after close");
                return false;
            }
            try {
                out.write(line);
                out.write('\n');
                out.flush();
                return true;
            } catch (IOException | RuntimeException e) {
                drops.drop(1, "write failed: " + e.getClass().getSimpleName());
                return false;
            }
        }
    }

    @Override
    public boolean flush(Duration timeout) {
        synchronized (lock) {
            try {
                out.flush();
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }

    @Override
    public long dropped() {
        return drops.total();
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                out.flush();
                if (closeStream) {
                    out.close();
                }
            } catch (IOException ignored) {
                // nothing left to do
            }
        }
        drops.warnNow();
    }
}
