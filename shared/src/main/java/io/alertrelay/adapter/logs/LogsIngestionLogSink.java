package io.alertrelay.adapter.logs;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.util.HttpClientOptions;
import com.azure.monitor.ingestion.LogsIngestionClientBuilder;
import io.alertrelay.logging.entry.LogEntry;
import io.alertrelay.port.LogSink;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Sends log entries to the Log Analytics table through the Logs Ingestion API (data collection rule + stream) with
 * {@code com.azure:azure-monitor-ingestion}: {@code POST {endpoint}/dataCollectionRules/{id}/streams/{stream}},
 * gzipped JSON arrays of at most {@link #MAX_REQUEST_BYTES} each, bearer token from the credential.
 *
 * <p>Two parts: callers only {@link #offer} to a bounded buffer drained in batches by one daemon thread
 * ({@link LogBatcher}, never blocking beyond the configured offer time, zero by default), and the
 * {@link LogsIngestionUploader} cuts each batch into requests and sends them. What fails after the SDK's retries,
 * what the full buffer refuses and what is left at close is dropped, counted ({@link #dropped()}) and reported by a
 * warning at most once per {@code warningInterval}. A JVM shutdown hook (and {@link #close()}) flushes the buffer
 * with a bounded wait.
 */
public final class LogsIngestionLogSink implements LogSink {

    public static final String DEFAULT_STREAM = "Custom-AlertRelay_CL";
    /** The most JSON one request carries (see {@link LogsIngestionUploader}). */
    public static final int MAX_REQUEST_BYTES = LogsIngestionUploader.MAX_REQUEST_BYTES;

    private final LogBatcher batcher;
    private final LogsIngestionUploader uploader;
    private final Duration shutdownTimeout;
    private final DropCounter drops;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    private LogsIngestionLogSink(Builder b) {
        LogsIngestionClientBuilder cb = new LogsIngestionClientBuilder()
                .endpoint(b.endpoint)
                .credential(Objects.requireNonNull(b.credential, "credential"))
                .httpClient(b.httpClient != null ? b.httpClient : HttpClient.createDefault(new HttpClientOptions()
                        .setConnectTimeout(Duration.ofSeconds(10))
                        .setWriteTimeout(b.requestTimeout)
                        .setResponseTimeout(b.requestTimeout)
                        .setReadTimeout(b.requestTimeout)));
        if (b.retryOptions != null) {
            cb.retryOptions(b.retryOptions);
        }
        shutdownTimeout = b.shutdownTimeout;
        drops = new DropCounter("Log Analytics sink (stream " + b.streamName + ")", b.warningLogger, b.warningInterval);
        uploader = new LogsIngestionUploader(cb.buildClient(), b.ruleId, b.streamName, drops);
        batcher = new LogBatcher(b.capacity, b.maxBatchEntries, b.flushInterval, b.offerTimeout, drops,
                "alertrelay-logs-ingestion", uploader);
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

    @Override
    public boolean offer(LogEntry entry) {
        if (entry == null) {
            return false;
        }
        if (closed.get()) {
            drops.drop(1, "offered after close");
            return false;
        }
        return batcher.offer(entry);
    }

    @Override
    public boolean flush(Duration timeout) {
        return batcher.flush(timeout);
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
            batcher.stop(timeout);
            drops.warnNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // closing must not fail the caller
        } finally {
            try {
                uploader.close();
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
        return new Stats(batcher.accepted(), uploader.sent(), drops.total(), batcher.buffered(), uploader.requests());
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

        /** The credential for the bearer token (the app's managed identity in Azure); required. */
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

        /** Entries in one batch; a full batch is sent at once (1,000), cut into requests of at most 1 MB. */
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
