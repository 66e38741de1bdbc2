package io.alertrelay.adapter.logs;

import static io.alertrelay.adapter.logs.SinkTesting.invocation;
import static io.alertrelay.adapter.logs.SinkTesting.sinkTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.adapter.logs.HttpsReceiver.Answer;
import io.alertrelay.adapter.logs.HttpsReceiver.Request;
import io.alertrelay.logging.InvocationLog;
import io.alertrelay.logging.entry.LogProperty;
import io.alertrelay.logging.entry.Stage;
import io.alertrelay.logging.TableSchema;
import io.alertrelay.settings.Settings;
import io.alertrelay.settings.SettingsException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Log Analytics sink through the real SDK client against a local HTTPS receiver (DESIGN §11, §12). */
class LogsIngestionLogSinkTest {

    private static final int ONE_MB = 1024 * 1024;

    private HttpsReceiver receiver;
    private final SinkTesting.Captured warnings = SinkTesting.captureWarnings();
    private LogsIngestionLogSink sink;

    @BeforeEach
    void start() throws Exception {
        receiver = HttpsReceiver.start();
    }

    @AfterEach
    void stop() {
        if (sink != null) {
            sink.close(Duration.ofSeconds(1));
        }
        receiver.close();
    }

    @Test
    void rowsArriveGzippedOverHttpsWithABearerTokenAtTheRulesStreamPath() throws Exception {
        sink = sinkTo(receiver.endpoint(), warnings.logger).build();
        InvocationLog log = invocation(sink);

        log.log(Stage.RECEIVED, "one");
        log.log(Stage.PUBLISHED, "two");
        assertThat(sink.flush(Duration.ofSeconds(10))).isTrue();

        assertThat(receiver.requests()).hasSize(1);
        Request r = receiver.requests().get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/dataCollectionRules/" + SinkTesting.RULE_ID + "/streams/" + SinkTesting.STREAM);
        assertThat(r.query()).isEqualTo("api-version=2023-01-01");
        assertThat(r.header("content-encoding")).isEqualTo("gzip");
        assertThat(r.header("authorization")).isEqualTo("Bearer " + SinkTesting.BEARER);
        assertThat(r.compressedBytes()).isLessThan(r.body().length);
        assertThat(r.rows()).extracting(row -> row.path("Message").asText()).containsExactly("one", "two");
        assertThat(sink.stats().sent()).isEqualTo(2);
        assertThat(sink.dropped()).isZero();
    }

    @Test
    void everyRowHasExactlyTheTableColumnsWithTheirJsonTypes() throws Exception {
        sink = sinkTo(receiver.endpoint(), warnings.logger).build();
        InvocationLog log = invocation(sink);

        log.log(Stage.RECEIVED, "bare");
        log.event("contoso.e1", "io.alertrelay.alert.resolved", "contoso").at(Stage.DELIVERED)
                .property(LogProperty.PLATFORM_STATUS, 200).property(LogProperty.DUPLICATE, true)
                .property(LogProperty.REASON, "ok").log("delivered");
        sink.flush(Duration.ofSeconds(10));

        List<JsonNode> rows = receiver.rows();
        assertThat(rows).hasSize(2);
        rows.forEach(TableSchema::assertRowMatches);
        JsonNode delivered = rows.get(1);
        assertThat(delivered.path("Stage").asText()).isEqualTo("delivered");
        assertThat(delivered.path("EventId").asText()).isEqualTo("contoso.e1");
        assertThat(delivered.path("EventType").asText()).isEqualTo("io.alertrelay.alert.resolved");
        assertThat(delivered.path("Tenant").asText()).isEqualTo("contoso");
        assertThat(delivered.path("InvocationId").asText()).isEqualTo("inv-test");
        assertThat(delivered.path("Operation").asText()).isEqualTo("AlertWebhook");
        assertThat(delivered.path("Outcome").asText()).isEqualTo("success");
        assertThat(delivered.path("Level").asText()).isEqualTo("Information");
        assertThat(delivered.path("Properties").path("platformStatus").isNumber()).isTrue();
        assertThat(delivered.path("Properties").path("duplicate").isBoolean()).isTrue();
        assertThat(rows.get(0).path("EventId").isNull()).isTrue();
        assertThat(rows.get(0).path("Properties").isObject()).isTrue();
    }

    @Test
    void aBatchOverOneMegabyteIsCutIntoSeveralRequestsEachAtMostOneMegabyte() throws Exception {
        sink = sinkTo(receiver.endpoint(), warnings.logger).maxBatchEntries(10_000).capacity(10_000)
                .flushInterval(Duration.ofSeconds(30)).build();
        InvocationLog log = invocation(sink);
        String filler = "x".repeat(1_000);
        int n = 3_000; // about 3.5 MB of rows

        for (int i = 0; i < n; i++) {
            log.log(Stage.RECEIVED, "entry " + i + " " + filler);
        }
        assertThat(sink.flush(Duration.ofSeconds(20))).isTrue();

        List<Request> requests = receiver.requests();
        assertThat(requests.size()).isGreaterThanOrEqualTo(4);
        for (Request r : requests) {
            assertThat(r.body().length).as("uncompressed bytes of one request").isLessThanOrEqualTo(ONE_MB)
                    .isLessThanOrEqualTo(LogsIngestionLogSink.MAX_REQUEST_BYTES);
        }
        assertThat(sink.stats().requests()).isEqualTo(requests.size());
        Set<String> messages = new HashSet<>();
        receiver.rows().forEach(row -> messages.add(row.path("Message").asText()));
        assertThat(messages).hasSize(n);
        assertThat(sink.dropped()).isZero();
    }

    @Test
    void aServerErrorIsRetriedByTheSdkAndNoRowIsLost() throws Exception {
        receiver.script(Answer.serverError());
        sink = sinkTo(receiver.endpoint(), warnings.logger).build();

        invocation(sink).log(Stage.STORED, "stored after a 500");
        assertThat(sink.flush(Duration.ofSeconds(10))).isTrue();

        assertThat(receiver.requestCount()).isEqualTo(2);
        assertThat(receiver.rows()).extracting(r -> r.path("Message").asText()).containsExactly("stored after a 500");
        assertThat(sink.dropped()).isZero();
        assertThat(warnings.warnings()).isEmpty();
    }

    @Test
    void throttlingWithRetryAfterIsWaitedOutAndTheRowsArrive() throws Exception {
        receiver.script(Answer.throttled(1));
        sink = sinkTo(receiver.endpoint(), warnings.logger).build();

        invocation(sink).log(Stage.DELIVERED, "delivered after a 429");
        assertThat(sink.flush(Duration.ofSeconds(10))).isTrue();

        List<Request> requests = receiver.requests();
        assertThat(requests).hasSize(2);
        long waitedMs = (requests.get(1).receivedNanos() - requests.get(0).receivedNanos()) / 1_000_000;
        assertThat(waitedMs).as("the SDK waits the Retry-After, not its 20 ms backoff").isGreaterThanOrEqualTo(900);
        assertThat(receiver.rows()).hasSize(1);
        assertThat(sink.dropped()).isZero();
    }

    @Test
    void rowsTheServiceKeepsRefusingAreDroppedCountedAndWarnedAbout() throws Exception {
        receiver.script(Answer.serverError(), Answer.serverError(), Answer.serverError());
        sink = sinkTo(receiver.endpoint(), warnings.logger).build();
        InvocationLog log = invocation(sink);

        log.log(Stage.RECEIVED, "a");
        log.log(Stage.RECEIVED, "b");
        sink.flush(Duration.ofSeconds(10));

        assertThat(receiver.requestCount()).isEqualTo(3); // first try and the two retries configured
        assertThat(sink.dropped()).isEqualTo(2);
        assertThat(warnings.warnings()).singleElement().asString().contains("dropped 2 log entries", "HTTP 500");
    }

    @Test
    void withTheReceiverDownLogCallsReturnAtOnceAndTheDropCounterRises() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        sink = sinkTo("https://127.0.0.1:" + closedPort, warnings.logger).build();
        InvocationLog log = invocation(sink);
        log.log(Stage.RECEIVED, "warm-up");

        long slowestNanos = 0;
        for (int i = 0; i < 500; i++) {
            long t0 = System.nanoTime();
            log.at(Stage.PUBLISHED).property(LogProperty.HTTP_STATUS, 202).log("entry " + i);
            slowestNanos = Math.max(slowestNanos, System.nanoTime() - t0);
        }
        sink.flush(Duration.ofSeconds(15));

        assertThat(slowestNanos / 1_000_000).as("slowest log call, ms").isLessThan(50);
        assertThat(sink.dropped()).isEqualTo(501);
        assertThat(sink.stats().sent()).isZero();
        assertThat(warnings.warnings()).as("at most one warning a minute").hasSize(1);
        assertThat(warnings.warnings().get(0)).contains("dropped", "upload failed");
    }

    @Test
    void aFullBufferRefusesWithoutBlockingAndCountsTheDrops() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        sink = sinkTo("https://127.0.0.1:" + closedPort, warnings.logger).capacity(10).maxBatchEntries(10)
                .flushInterval(Duration.ofSeconds(30)).build();

        int refused = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < 1_000; i++) {
            if (!sink.offer(entry(i))) {
                refused++;
            }
        }
        long tookMs = (System.nanoTime() - t0) / 1_000_000;

        assertThat(refused).isGreaterThanOrEqualTo(1_000 - 20);
        assertThat(sink.dropped()).isGreaterThanOrEqualTo(refused);
        assertThat(tookMs).isLessThan(1_000);
        assertThat(warnings.warnings()).hasSize(1);
        assertThat(warnings.warnings().get(0)).contains("buffer full");
    }

    @Test
    void closeSendsTheEntriesOfferedJustBeforeIt() throws Exception {
        sink = sinkTo(receiver.endpoint(), warnings.logger).flushInterval(Duration.ofSeconds(60)).build();
        InvocationLog log = invocation(sink);
        for (int i = 0; i < 5; i++) {
            log.log(Stage.RECEIVED, "before close " + i);
        }

        sink.close();

        assertThat(receiver.rows()).hasSize(5);
        assertThat(sink.dropped()).isZero();
        assertThat(sink.offer(entry(99))).as("offers after close are refused").isFalse();
        assertThat(sink.dropped()).isEqualTo(1);
    }

    @Test
    void entriesReachTheServiceWithinAFewSecondsWithoutAnyFlush() throws Exception {
        sink = sinkTo(receiver.endpoint(), warnings.logger).flushInterval(Duration.ofSeconds(2)).build();
        long t0 = System.nanoTime();

        invocation(sink).log(Stage.RECEIVED, "steady state");

        assertThat(receiver.awaitAcceptedRows(1, Duration.ofSeconds(6))).isEqualTo(1);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).isBetween(1_500L, 4_000L);
    }

    @Test
    void aFullBatchIsSentWithoutWaitingForTheFlushInterval() throws Exception {
        sink = sinkTo(receiver.endpoint(), warnings.logger).maxBatchEntries(50)
                .flushInterval(Duration.ofSeconds(30)).build();
        InvocationLog log = invocation(sink);

        for (int i = 0; i < 50; i++) {
            log.log(Stage.RECEIVED, "n" + i);
        }

        assertThat(receiver.awaitAcceptedRows(50, Duration.ofSeconds(5))).isEqualTo(50);
    }

    private static io.alertrelay.logging.entry.LogEntry entry(int i) {
        io.alertrelay.logging.entry.LogEntry[] made = new io.alertrelay.logging.entry.LogEntry[1];
        invocation(e -> {
            made[0] = e;
            return true;
        }).log(Stage.RECEIVED, "entry " + i);
        return made[0];
    }
}
