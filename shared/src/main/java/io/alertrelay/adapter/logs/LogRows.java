package io.alertrelay.adapter.logs;

import com.azure.core.util.serializer.JsonSerializer;
import com.azure.core.util.serializer.TypeReference;
import io.alertrelay.domain.Json;
import io.alertrelay.logging.entry.LogEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import reactor.core.publisher.Mono;

/**
 * Rows as JSON: every column present, nulls written as null (the SDK's default serializer leaves null map values out,
 * so rows would lose columns), {@code Properties} always an object. Used by both sinks, so the local JSON lines and
 * the rows sent to Log Analytics are the same.
 */
final class LogRows {

    /** The serializer handed to the Logs Ingestion client: {@link LogEntry} to its row. */
    static final JsonSerializer SDK_SERIALIZER = new RowSerializer();

    private LogRows() {
    }

    static byte[] json(LogEntry entry) {
        return Json.writeBytes(entry.toRow());
    }

    /** A row already serialised (the sink measures rows before it cuts requests). */
    record Serialized(byte[] json) {
    }

    private static Object rowOf(Object value) {
        return value instanceof LogEntry e ? e.toRow() : value;
    }

    private static final class RowSerializer implements JsonSerializer {

        @Override
        public byte[] serializeToBytes(Object value) {
            if (value instanceof Serialized s) {
                return s.json();
            }
            return Json.writeBytes(rowOf(value));
        }

        @Override
        public void serialize(OutputStream stream, Object value) {
            try {
                if (value instanceof Serialized s) {
                    stream.write(s.json());
                    return;
                }
                Json.writeTo(stream, rowOf(value));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Mono<Void> serializeAsync(OutputStream stream, Object value) {
            return Mono.fromRunnable(() -> serialize(stream, value));
        }

        @Override
        public <T> T deserialize(InputStream stream, TypeReference<T> typeReference) {
            throw new UnsupportedOperationException("log rows are only written");
        }

        @Override
        public <T> Mono<T> deserializeAsync(InputStream stream, TypeReference<T> typeReference) {
            return Mono.error(new UnsupportedOperationException("log rows are only written"));
        }
    }
}
