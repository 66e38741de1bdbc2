package io.alertrelay.adapter.logs;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import io.alertrelay.logging.InvocationLog;
import io.alertrelay.logging.PipelineLog;
import io.alertrelay.logging.Redaction;
import io.alertrelay.port.LogSink;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import reactor.core.publisher.Mono;

/** What the sink tests share: a static-token credential, fast retries, a sink aimed at a receiver. */
final class SinkTesting {

    static final String RULE_ID = "dcr-0123456789abcdef0123456789abcdef";
    static final String STREAM = "Custom-AlertRelay_CL";
    static final String BEARER = "test-bearer-token-" + Long.toHexString(System.nanoTime());
    static final TokenCredential STATIC_TOKEN = request ->
            Mono.just(new AccessToken(BEARER, OffsetDateTime.now().plusHours(1)));
    /** The SDK's retry policy with test-sized delays (Retry-After still wins when the service sends it). */
    static final RetryOptions FAST_RETRIES = new RetryOptions(new ExponentialBackoffOptions()
            .setMaxRetries(2).setBaseDelay(Duration.ofMillis(20)).setMaxDelay(Duration.ofMillis(100)));

    private SinkTesting() {
    }

    static LogsIngestionLogSink.Builder sinkTo(String endpoint, Logger warnings) {
        return LogsIngestionLogSink.builder()
                .endpoint(endpoint)
                .ruleId(RULE_ID)
                .streamName(STREAM)
                .credential(STATIC_TOKEN)
                .httpClient(TestCertificate.get().sdkHttpClient())
                .retryOptions(FAST_RETRIES)
                .flushInterval(Duration.ofMillis(100))
                .shutdownHook(false)
                .warningLogger(warnings);
    }

    static InvocationLog invocation(LogSink sink) {
        return PipelineLog.of(sink, Redaction.patternsOnly()).forInvocation("AlertWebhook", "inv-test", null)
                .tenant("contoso");
    }

    static Captured captureWarnings() {
        return new Captured();
    }

    /** A logger whose records the test can read. */
    static final class Captured extends Handler {
        final Logger logger = Logger.getAnonymousLogger();
        final List<LogRecord> records = new CopyOnWriteArrayList<>();

        Captured() {
            logger.setUseParentHandlers(false);
            logger.setLevel(Level.ALL);
            logger.addHandler(this);
        }

        List<String> warnings() {
            return records.stream().filter(r -> r.getLevel() == Level.WARNING).map(LogRecord::getMessage).toList();
        }

        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
