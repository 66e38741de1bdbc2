package io.alertrelay.adapter.logs;

import com.azure.core.exception.HttpResponseException;
import com.azure.monitor.ingestion.LogsIngestionClient;
import com.azure.monitor.ingestion.models.LogsUploadOptions;
import io.alertrelay.logging.Redaction;
import io.alertrelay.logging.entry.LogEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Uploads one batch of rows to the Logs Ingestion API: it cuts the batch into requests of at most
 * {@link #MAX_REQUEST_BYTES} of JSON (rows, commas and brackets) itself and sends each as one SDK upload. The SDK
 * cuts at 1 MiB too but counts only the rows, not the commas between them, so its requests could exceed the service's
 * limit by one byte per row; cutting here keeps every request under it and makes each upload exactly one request,
 * so the counts of sent and dropped rows are exact. The SDK retries 429 and 5xx (honouring Retry-After); what still
 * fails is dropped and counted.
 */
final class LogsIngestionUploader implements Consumer<List<LogEntry>> {

    /**
     * The most JSON one request carries. The service takes at most 1 MB per call; the decimal megabyte leaves room
     * whichever megabyte is meant, and is under the SDK's own cut (1 MiB), so the SDK never splits a request again.
     */
    static final int MAX_REQUEST_BYTES = 1_000_000;
    private static final Redaction REASONS = Redaction.patternsOnly();

    private final LogsIngestionClient client;
    private final String ruleId;
    private final String streamName;
    private final DropCounter drops;
    private final LongAdder sent = new LongAdder();
    private final LongAdder requests = new LongAdder();

    LogsIngestionUploader(LogsIngestionClient client, String ruleId, String streamName, DropCounter drops) {
        this.client = client;
        this.ruleId = ruleId;
        this.streamName = streamName;
        this.drops = drops;
    }

    /** Sends the batch; every row ends sent or dropped (counted), and nothing is thrown. */
    @Override
    public void accept(List<LogEntry> batch) {
        List<Object> request = new ArrayList<>();
        long size = 2; // [ and ]
        for (LogEntry entry : batch) {
            byte[] json;
            try {
                json = LogRows.json(entry);
            } catch (RuntimeException e) {
                drops.drop(1, "not serialisable: " + describe(e));
                continue;
            }
            if (json.length + 2 > MAX_REQUEST_BYTES) {
                drops.drop(1, "row over " + MAX_REQUEST_BYTES + " bytes");
                continue;
            }
            if (!request.isEmpty() && size + 1 + json.length > MAX_REQUEST_BYTES) {
                send(request);
                request = new ArrayList<>();
                size = 2;
            }
            size += json.length + (request.isEmpty() ? 0 : 1);
            request.add(new LogRows.Serialized(json));
        }
        if (!request.isEmpty()) {
            send(request);
        }
    }

    long sent() {
        return sent.sum();
    }

    long requests() {
        return requests.sum();
    }

    void close() {
        client.close(); // removes the SDK's own shutdown hook: refused while the JVM is shutting down
    }

    private void send(List<Object> rows) {
        int n = rows.size();
        long[] failed = {0};
        String[] reason = {null};
        LogsUploadOptions options = new LogsUploadOptions()
                .setObjectSerializer(LogRows.SDK_SERIALIZER)
                .setLogsUploadErrorConsumer(error -> {
                    failed[0] += error.getFailedLogs().size();
                    reason[0] = describe(error.getResponseException());
                });
        requests.increment();
        try {
            client.upload(ruleId, streamName, rows, options);
            sent.add(n - failed[0]);
            drops.drop(failed[0], "rejected by the service after retries: " + reason[0]);
        } catch (RuntimeException | Error e) {
            // a failure that is not an HTTP answer (connection refused, timeout) after the SDK's retries
            drops.drop(n - failed[0], "upload failed after retries: " + describe(e));
            drops.drop(failed[0], "rejected by the service after retries: " + reason[0]);
        }
    }

    private static String describe(Throwable t) {
        if (t instanceof HttpResponseException h && h.getResponse() != null) {
            return "HTTP " + h.getResponse().getStatusCode();
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getClass().getSimpleName() + (root.getMessage() != null ? ": " + root.getMessage() : "");
        return REASONS.scrub(text.length() > 300 ? text.substring(0, 300) : text);
    }
}
