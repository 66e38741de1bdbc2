package io.alertrelay.adapter.logs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The real Logs Ingestion sink (batching, gzip, HTTPS through the Azure SDK) against the shared module's local HTTPS
 * receiver, for the benchmarks: what the receiver gets is the request body Log Analytics would get. Lives in the
 * sink's package because the receiver and its certificate are test classes of that package.
 */
public final class LocalLogsIngestion implements AutoCloseable {

    private final HttpsReceiver receiver;
    private int counted;

    private LocalLogsIngestion(HttpsReceiver receiver) {
        this.receiver = receiver;
    }

    public static LocalLogsIngestion start() throws IOException {
        return new LocalLogsIngestion(HttpsReceiver.start());
    }

    /** A sink to this receiver, as the function app builds it, with the tests' static token. */
    public LogsIngestionLogSink sink(Logger warnings) {
        return LogsIngestionLogSink.builder()
                .endpoint(receiver.endpoint())
                .ruleId(SinkTesting.RULE_ID)
                .credential(SinkTesting.STATIC_TOKEN)
                .httpClient(TestCertificate.get().sdkHttpClient())
                .warningLogger(warnings)
                .shutdownHook(false)
                .build();
    }

    /** What the requests since the last call carried. */
    public Received take() {
        List<HttpsReceiver.Request> all = receiver.requests();
        long requests = 0;
        long rows = 0;
        long jsonBytes = 0;
        long gzipBytes = 0;
        long billedBytes = 0;
        for (HttpsReceiver.Request r : all.subList(counted, all.size())) {
            requests++;
            rows += r.rows().size();
            jsonBytes += r.body().length;
            gzipBytes += r.compressedBytes();
            for (JsonNode row : r.rows()) {
                billedBytes += billedSize(row);
            }
        }
        counted = all.size();
        return new Received(requests, rows, jsonBytes, gzipBytes, billedBytes);
    }

    /**
     * A row's size as Log Analytics bills it: "calculated from a string representation of the columns that are stored"
     * (https://learn.microsoft.com/azure/azure-monitor/logs/cost-logs#data-size-calculation). Here: each non-null
     * column's value as text (UTF-8 bytes), {@code Properties} as its JSON text; column names and JSON punctuation are
     * not counted. An estimate of {@code _BilledSize}: measure that column in the workspace to confirm.
     */
    static long billedSize(JsonNode row) {
        long bytes = 0;
        for (Map.Entry<String, JsonNode> column : (Iterable<Map.Entry<String, JsonNode>>) row::fields) {
            JsonNode v = column.getValue();
            if (v == null || v.isNull()) {
                continue;
            }
            String text = v.isContainerNode() ? v.toString() : v.asText();
            bytes += text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        return bytes;
    }

    /** Requests, rows, uncompressed JSON bytes, bytes on the wire, and the billed-size estimate. */
    public record Received(long requests, long rows, long jsonBytes, long gzipBytes, long billedBytes) {
    }

    @Override
    public void close() {
        receiver.close();
    }
}
