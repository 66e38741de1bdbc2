package io.alertrelay.adapter.logs;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.util.HttpClientOptions;
import io.alertrelay.adapter.identity.AppCredential;
import com.azure.monitor.ingestion.LogsIngestionClient;
import com.azure.monitor.ingestion.LogsIngestionClientBuilder;
import com.azure.monitor.ingestion.models.LogsUploadOptions;
import io.alertrelay.logging.LogEntry;
import io.alertrelay.logging.Redaction;
import io.alertrelay.port.LogSink;
import io.alertrelay.settings.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * Sends log entries to the Log Analytics table through the Logs Ingestion API (data collection rule + stream) with
 * {@code com.azure:azure-monitor-ingestion}: {@code POST {endpoint}/dataCollectionRules/{id}/streams/{stream}},
 * gzipped JSON arrays of at most {@link #MAX_REQUEST_BYTES} each, bearer token from the credential.
 *
 * <p>Callers only {@link #offer} to a bounded in-memory buffer (never blocking beyond the configured offer time,
 * zero by default); one daemon thread sends a batch when {@code maxBatchEntries} are waiting or {@code flushInterval}
 * after the first entry of a batch arrived, whichever is first. Failed requests get the SDK's retries (429 and 5xx,
 * honouring Retry-After); what still fails, what the full buffer refuses and what is left at close is dropped,
 * counted ({@link #dropped()}) and reported by a warning at most once per {@code warningInterval}. A JVM shutdown
 * hook (and {@link #close()}) flushes the buffer with a bounded wait.
 */
public final class LogsIngestionLogSink implements LogSink {

    public static final String DEFAULT_STREAM = "Custom-AlertRelay_CL";

    /**
     * The most JSON one request carries. The service takes at most 1 MB per call; the decimal megabyte leaves room
     * whichever megabyte is meant, and is under the SDK's own cut (1 MiB), so the SDK never splits a request again.
     */
    public static final int MAX_REQUEST_BYTES = 1_000_000;

    private static final Object WAKE = new Object();
    private static final Redaction REASONS = Redaction.patternsOnly();

    private final LogsIngestionClient client;
    private final String ruleId;
    private final String streamName;
    private final ArrayBlockingQueue<Object> queue;
    private final int maxBatchEntries;
    private final long flushIntervalNanos;
    private final long offerTimeoutNanos;
    private final Duration shutdownTimeout;
    private final DropCounter drops;
    private final LongAdder accepted = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final AtomicLong settled = new AtomicLong();
    private final AtomicLong flushUpTo = new AtomicLong();
    private final LongAdder requests = new LongAdder();
    private final Object settledSignal = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread worker;
    private final Thread shutdownHook;
    private volatile boolean stopped;

    private LogsIngestionLogSink(Builder b) {
        LogsIngestionClientBuilder cb = new LogsIngestionClientBuilder()
                .endpoint(b.endpoint)
                .credential(b.credential != null ? b.credential : AppCredential.get())
                .httpClient(b.httpClient != null ? b.httpClient : HttpClient.createDefault(new HttpClientOptions()
                        .setConnectTimeout(Duration.ofSeconds(10))
                        .setWriteTimeout(b.requestTimeout)
                        .setResponseTimeout(b.requestTimeout)
                        .setReadTimeout(b.requestTimeout)));
        if (b.retryOptions != null) {
            cb.retryOptions(b.retryOptions);
        }
        client = cb.buildClient();
        ruleId = b.ruleId;
        streamName = b.streamName;
        queue = new ArrayBlockingQueue<>(b.capacity);
        maxBatchEntries = b.maxBatchEntries;
        flushIntervalNanos = b.flushInterval.toNanos();
        offerTimeoutNanos = b.offerTimeout.toNanos();
        shutdownTimeout = b.shutdownTimeout;
        drops = new DropCounter("Log Analytics sink (stream " + streamName + ")", b.warningLogger, b.warningInterval);
        worker = new Thread(this::run, "alertrelay-logs-ingestion");
        worker.setDaemon(true);
        worker.start();
        if (b.shutdownHook) {
            shutdownHook = new Thread(this::close, "alertrelay-logs-flush-on-exit");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            shutdownHook = null;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The sink the settings ask for, with DefaultAzureCredential (managed identity in Azure): present when
     * {@code LOGS_INGESTION_ENDPOINT} and {@code LOGS_DCR_IMMUTABLE_ID} are set (Settings holds both or neither).
     */
    public static Optional<LogsIngestionLogSink> fromSettings(Settings settings) {
        return fromSettings(settings, null);
    }

    /** As {@link #fromSettings(Settings)} with an explicit credential (null: DefaultAzureCredential). */
    public static Optional<LogsIngestionLogSink> fromSettings(Settings settings, TokenCredential credential) {
        Optional<URI> endpoint = settings.logsIngestionEndpoint();
        Optional<String> rule = settings.logsDcrImmutableId();
        if (endpoint.isEmpty() || rule.isEmpty()) {
            return Optional.empty(); // Settings holds both or neither
        }
        return Optional.of(builder().endpoint(endpoint.get().toString()).ruleId(rule.get())
                .streamName(settings.logsStreamName()).credential(credential).build());
    }

    @Override
    public boolean offer(LogEntry entry) {
        if (entry == null) {
            return false;
        }
        if (closed.get()) {
            drops.drop(1, "offered after close");
            return false;
        }
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

    @Override
    public boolean flush(Duration timeout) {
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

    /** Flushes with the configured shutdown timeout, stops the sender, drops (and counts) what is left. */
    @Override
    public void close() {
        close(shutdownTimeout);
    }

    /** As {@link #close()} with this bound on the flush. */
    public void close(Duration timeout) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            flush(timeout);
            stopped = true;
            worker.interrupt();
            worker.join(1_000);
            List<Object> left = new ArrayList<>();
            queue.drainTo(left);
            long unsent = left.stream().filter(o -> o != WAKE).count();
            drops.drop(unsent, "not sent before close");
            settle(unsent);
            drops.warnNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // closing must not fail the caller
        } finally {
            try {
                client.close(); // removes the SDK's own shutdown hook: refused while the JVM is shutting down
            } catch (RuntimeException ignored) {
                // IllegalStateException during shutdown; nothing to release then
            }
            if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (RuntimeException ignored) {
                    // shutdown in progress
                }
            }
        }
    }

    @Override
    public long dropped() {
        return drops.total();
    }

    /** Counters, for the health report and the benchmark. */
    public Stats stats() {
        return new Stats(accepted.sum(), sent.sum(), drops.total(), queue.size(), requests.sum());
    }

    /**
     * @param accepted entries taken into the buffer
     * @param sent     entries the service acknowledged
     * @param dropped  entries refused, failed or left at close
     * @param buffered entries waiting now
     * @param requests uploads started, one HTTP request each plus the SDK's retries (each batch is cut into
     *                 requests of at most {@link #MAX_REQUEST_BYTES})
     */
    public record Stats(long accepted, long sent, long dropped, int buffered, long requests) {
    }

    private void run() {
        List<Object> drained = new ArrayList<>(maxBatchEntries);
        List<LogEntry> batch = new ArrayList<>(maxBatchEntries);
        while (!stopped) {
            try {
                Object first = queue.poll(flushIntervalNanos, TimeUnit.NANOSECONDS);
                if (first == null) {
                    drops.maybeWarn();
                    continue;
                }
                add(batch, first);
                long deadline = System.nanoTime() + flushIntervalNanos;
                while (batch.size() < maxBatchEntries) {
                    drained.clear();
                    queue.drainTo(drained, maxBatchEntries - batch.size());
                    for (Object o : drained) {
                        add(batch, o);
                    }
                    if (batch.size() >= maxBatchEntries || flushUpTo.get() > settled.get() || stopped) {
                        break;
                    }
                    long wait = deadline - System.nanoTime();
                    if (wait <= 0) {
                        break;
                    }
                    Object next = queue.poll(wait, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    add(batch, next);
                }
                if (!batch.isEmpty()) {
                    upload(batch);
                }
            } catch (InterruptedException e) {
                if (!batch.isEmpty()) {
                    drops.drop(batch.size(), "sender stopped");
                    settle(batch.size());
                }
            } catch (Throwable t) {
                if (!batch.isEmpty()) {
                    drops.drop(batch.size(), "sender failed: " + describe(t));
                    settle(batch.size());
                }
            } finally {
                batch.clear();
            }
        }
    }

    private static void add(List<LogEntry> batch, Object o) {
        if (o instanceof LogEntry e) {
            batch.add(e);
        }
    }

    /**
     * Cuts the batch into requests of at most {@link #MAX_REQUEST_BYTES} of JSON (rows, commas and brackets) and
     * uploads each. The SDK cuts at 1 MiB itself but counts only the rows, not the commas between them, so its
     * requests can exceed 1 MiB by one byte per row; cutting here keeps every request under the service's limit and
     * makes each upload exactly one request, so the drop count is exact.
     */
    private void upload(List<LogEntry> batch) {
        List<Object> request = new ArrayList<>();
        long size = 2; // [ and ]
        for (LogEntry entry : batch) {
            byte[] json;
            try {
                json = LogRows.json(entry);
            } catch (RuntimeException e) {
                drops.drop(1, "not serialisable: " + describe(e));
                settle(1);
                continue;
            }
            if (json.length + 2 > MAX_REQUEST_BYTES) {
                drops.drop(1, "row over " + MAX_REQUEST_BYTES + " bytes");
                settle(1);
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
        } finally {
            settle(n);
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

    /** Settings of the sink; {@link #endpoint} and {@link #ruleId} are required. */
    public static final class Builder {
        private String endpoint;
        private String ruleId;
        private String streamName = DEFAULT_STREAM;
        private TokenCredential credential;
        private HttpClient httpClient;
        private RetryOptions retryOptions;
        private Duration requestTimeout = Duration.ofSeconds(30);
        private int capacity = 10_000;
        private int maxBatchEntries = 1_000;
        private Duration flushInterval = Duration.ofSeconds(2);
        private Duration offerTimeout = Duration.ZERO;
        private Duration shutdownTimeout = Duration.ofSeconds(5);
        private Duration warningInterval = Duration.ofMinutes(1);
        private Logger warningLogger = Logger.getLogger(LogsIngestionLogSink.class.getName());
        private boolean shutdownHook = true;

        private Builder() {
        }

        /** The data collection endpoint's logs ingestion URL ({@code LOGS_INGESTION_ENDPOINT}). */
        public Builder endpoint(String endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** The data collection rule's immutable id, {@code dcr-…} ({@code LOGS_DCR_IMMUTABLE_ID}). */
        public Builder ruleId(String ruleId) {
            this.ruleId = ruleId;
            return this;
        }

        /** The rule's input stream ({@code LOGS_STREAM_NAME}, default {@value LogsIngestionLogSink#DEFAULT_STREAM}). */
        public Builder streamName(String streamName) {
            this.streamName = streamName;
            return this;
        }

        /** The credential for the bearer token; null (the default) is DefaultAzureCredential (managed identity). */
        public Builder credential(TokenCredential credential) {
            this.credential = credential;
            return this;
        }

        /** The SDK's HTTP client (tests: one trusting their receiver); default: azure-core's with request timeouts. */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = httpClient;
            return this;
        }

        /** The SDK's retries; default: azure-core's (3 retries, exponential from 0.8 s, honouring Retry-After). */
        public Builder retryOptions(RetryOptions retryOptions) {
            this.retryOptions = retryOptions;
            return this;
        }

        /** Timeout of one HTTP request when the default HTTP client is used (30 s). */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = positive(requestTimeout, "requestTimeout");
            return this;
        }

        /** Entries the buffer holds before offers are dropped (10,000). */
        public Builder capacity(int capacity) {
            this.capacity = atLeastOne(capacity, "capacity");
            return this;
        }

        /** Entries in one upload; a full batch is sent at once (1,000). The SDK still cuts requests at 1 MB. */
        public Builder maxBatchEntries(int maxBatchEntries) {
            this.maxBatchEntries = atLeastOne(maxBatchEntries, "maxBatchEntries");
            return this;
        }

        /** The longest an entry waits in the buffer for others to join its batch (2 s). */
        public Builder flushInterval(Duration flushInterval) {
            this.flushInterval = positive(flushInterval, "flushInterval");
            return this;
        }

        /** How long an offer may wait for room in a full buffer (zero: never waits). */
        public Builder offerTimeout(Duration offerTimeout) {
            this.offerTimeout = Objects.requireNonNull(offerTimeout, "offerTimeout");
            return this;
        }

        /** How long close and the shutdown hook wait for the buffer to be sent (5 s). */
        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = positive(shutdownTimeout, "shutdownTimeout");
            return this;
        }

        /** At most one drop warning per interval (1 minute). */
        public Builder warningInterval(Duration warningInterval) {
            this.warningInterval = Objects.requireNonNull(warningInterval, "warningInterval");
            return this;
        }

        /** Where drop warnings go (default: this class's java.util.logging logger). */
        public Builder warningLogger(Logger warningLogger) {
            this.warningLogger = Objects.requireNonNull(warningLogger, "warningLogger");
            return this;
        }

        /** Whether a JVM shutdown hook closes the sink (true). */
        public Builder shutdownHook(boolean shutdownHook) {
            this.shutdownHook = shutdownHook;
            return this;
        }

        public LogsIngestionLogSink build() {
            if (endpoint == null || endpoint.isBlank()) {
                throw new IllegalStateException("the logs ingestion endpoint is required");
            }
            if (ruleId == null || ruleId.isBlank()) {
                throw new IllegalStateException("the data collection rule's immutable id is required");
            }
            if (streamName == null || streamName.isBlank()) {
                streamName = DEFAULT_STREAM;
            }
            return new LogsIngestionLogSink(this);
        }

        private static int atLeastOne(int value, String name) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1");
            }
            return value;
        }

        private static Duration positive(Duration value, String name) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return value;
        }
    }
}
