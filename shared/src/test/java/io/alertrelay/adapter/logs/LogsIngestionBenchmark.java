package io.alertrelay.adapter.logs;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.logging.InvocationLog;
import io.alertrelay.logging.entry.LogEntry;
import io.alertrelay.logging.entry.LogProperty;
import io.alertrelay.logging.PipelineLog;
import io.alertrelay.logging.Redaction;
import io.alertrelay.logging.entry.Stage;
import io.alertrelay.testing.FormattingNullHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * The logging module's numbers (not a timed test): the caller-side cost of one log call, entries per second sustained
 * into a local HTTPS receiver through the real SDK client, HTTP requests per 10,000 entries, and how long an entry
 * takes to reach the receiver in steady state.
 *
 * <pre>
 * mvn -B -pl shared test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.alertrelay.adapter.logs.LogsIngestionBenchmark [-Dexec.args="10 100 8"]
 * </pre>
 * Arguments: seconds of the saturated run (10), entries/s of the steady-state trickle (100), seconds of the trickle (8).
 */
public final class LogsIngestionBenchmark {

    private static final int MEASURED_CALLS = 200_000;
    private static final int BURST = 5_000;

    private LogsIngestionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int saturatedSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int trickleRate = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int trickleSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        Logger quiet = Logger.getAnonymousLogger();
        quiet.setUseParentHandlers(false);
        System.out.printf(Locale.ROOT, "Logs Ingestion benchmark: %d cores, Java %s, azure-monitor-ingestion 1.1.0,"
                + " sink defaults (buffer 10,000, batch 1,000, flush 2 s)%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));

        try (HttpsReceiver receiver = HttpsReceiver.startCounting()) {
            callerCost(receiver, quiet);
            saturated(receiver, quiet, saturatedSeconds);
        }
        try (HttpsReceiver receiver = HttpsReceiver.start()) {
            trickle(receiver, quiet, trickleRate, trickleSeconds);
        }
    }

    /** Nanoseconds per call, measured in bursts the buffer always takes (so every call is an accepted offer). */
    private static void callerCost(HttpsReceiver receiver, Logger quiet) throws Exception {
        try (LogsIngestionLogSink sink = sink(receiver, quiet)) {
            InvocationLog log = PipelineLog.of(sink, Redaction.patternsOnly())
                    .forInvocation("AlertWebhook", "b1f0c3a4-inv", null)
                    .event("contoso.57da26f8a1c2a395d35907c0f9c5867f6d73482266b2ac6ac7e360a610c1708f",
                            "io.alertrelay.alert.fired", "contoso");
            Logger functionLogger = Logger.getAnonymousLogger();
            functionLogger.setUseParentHandlers(false);
            functionLogger.addHandler(new FormattingNullHandler());
            InvocationLog withLogger = PipelineLog.of(sink, Redaction.patternsOnly())
                    .forInvocation("AlertWebhook", "b1f0c3a4-inv", functionLogger)
                    .event("contoso.57da26f8a1c2a395d35907c0f9c5867f6d73482266b2ac6ac7e360a610c1708f",
                            "io.alertrelay.alert.fired", "contoso");
            LogEntry[] one = new LogEntry[1];
            PipelineLog.of(e -> {
                one[0] = e;
                return true;
            }, Redaction.patternsOnly()).forInvocation("AlertWebhook", "inv", null).tenant("contoso")
                    .at(Stage.PUBLISHED).property(LogProperty.HTTP_STATUS, 202).log("alert published");

            measure("warm-up", sink, () -> log.at(Stage.PUBLISHED).property(LogProperty.HTTP_STATUS, 202)
                    .log("alert published"), false);
            measure("sink.offer(entry) alone", sink, () -> sink.offer(one[0]), true);
            measure("InvocationLog entry -> sink (no function logger)", sink,
                    () -> log.at(Stage.PUBLISHED).property(LogProperty.HTTP_STATUS, 202).log("alert published"), true);
            measure("InvocationLog entry -> sink + JUL logger (no-op handler)", sink,
                    () -> withLogger.at(Stage.PUBLISHED).property(LogProperty.HTTP_STATUS, 202).log("alert published"), true);
            System.out.printf(Locale.ROOT, "  (dropped during the cost runs: %d)%n", sink.dropped());
        }
    }

    private static void measure(String what, LogsIngestionLogSink sink, Runnable call, boolean print) throws Exception {
        long[] nanos = new long[MEASURED_CALLS];
        int done = 0;
        while (done < MEASURED_CALLS) {
            int n = Math.min(BURST, MEASURED_CALLS - done);
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                call.run();
                nanos[done + i] = System.nanoTime() - t0;
            }
            done += n;
            while (sink.stats().buffered() > 0) {
                Thread.sleep(1);
            }
        }
        if (print) {
            Arrays.sort(nanos);
            System.out.printf(Locale.ROOT, "caller cost, %-55s p50 %5d ns  p99 %6d ns  p99.9 %7d ns  (%,d calls)%n",
                    what + ":", nanos[MEASURED_CALLS / 2], nanos[(int) (MEASURED_CALLS * 0.99)],
                    nanos[(int) (MEASURED_CALLS * 0.999)], MEASURED_CALLS);
        }
    }

    /** One producer logging as fast as it can; what the receiver accepts per second is the sustained rate. */
    private static void saturated(HttpsReceiver receiver, Logger quiet, int seconds) throws Exception {
        try (LogsIngestionLogSink sink = sink(receiver, quiet)) {
            InvocationLog log = PipelineLog.of(sink, Redaction.patternsOnly())
                    .forInvocation("AlertDequeuer", "b1f0c3a4-inv", null)
                    .event("contoso.57da26f8a1c2a395d35907c0f9c5867f6d73482266b2ac6ac7e360a610c1708f",
                            "io.alertrelay.alert.fired", "contoso");
            long rows0 = receiver.acceptedRowCount();
            long requests0 = receiver.requestCount();
            long dropped0 = sink.dropped();
            long offered = 0;
            long t0 = System.nanoTime();
            long end = t0 + Duration.ofSeconds(seconds).toNanos();
            while (System.nanoTime() < end) {
                for (int i = 0; i < 100; i++) {
                    log.at(Stage.DELIVERED).property(LogProperty.PLATFORM_STATUS, 200)
                            .property(LogProperty.ATTEMPTS, 1).log("alert delivered to the platform");
                }
                offered += 100;
            }
            double elapsed = (System.nanoTime() - t0) / 1e9;
            long rows = receiver.acceptedRowCount() - rows0;
            long requests = receiver.requestCount() - requests0;
            System.out.printf(Locale.ROOT, "saturated, %d s, one producer: offered %,d, accepted by the receiver %,d"
                    + " = %,.0f entries/s sustained; dropped (buffer full) %,d; %d requests = %.1f requests per 10,000"
                    + " entries; largest request %,d bytes uncompressed%n",
                    seconds, offered, rows, rows / elapsed, sink.dropped() - dropped0, requests,
                    requests * 10_000.0 / Math.max(rows, 1), receiver.maxUncompressedBytes());
        }
    }

    /** A steady trickle: requests per 10,000 entries and how long an entry takes to arrive. */
    private static void trickle(HttpsReceiver receiver, Logger quiet, int rate, int seconds) throws Exception {
        try (LogsIngestionLogSink sink = sink(receiver, quiet)) {
            InvocationLog log = PipelineLog.of(sink, Redaction.patternsOnly())
                    .forInvocation("AlertWebhook", "b1f0c3a4-inv", null).tenant("contoso");
            long periodNanos = 1_000_000_000L / rate;
            long next = System.nanoTime();
            int n = rate * seconds;
            for (int i = 0; i < n; i++) {
                log.at(Stage.RECEIVED).property(LogProperty.BODY_BYTES, 1898).log("notification received");
                next += periodNanos;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
            receiver.awaitAcceptedRows(n, Duration.ofSeconds(10));
            List<HttpsReceiver.Request> requests = receiver.requests();
            long[] latencies = requests.stream().flatMap(r -> r.rows().stream().map(row -> latencyMs(r, row)))
                    .mapToLong(Long::longValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "steady trickle, %d entries/s for %d s: %,d entries in %d requests = %.1f"
                    + " requests per 10,000 entries; entry to receiver p50 %d ms, max %d ms; dropped %d%n",
                    rate, seconds, latencies.length, requests.size(), requests.size() * 10_000.0 / Math.max(latencies.length, 1),
                    latencies.length == 0 ? -1 : latencies[latencies.length / 2],
                    latencies.length == 0 ? -1 : latencies[latencies.length - 1], sink.dropped());
        }
    }

    private static long latencyMs(HttpsReceiver.Request request, JsonNode row) {
        // receivedNanos is monotonic; compare wall clocks instead: now at receipt is close enough for ms resolution
        long receivedWallMs = Instant.now().toEpochMilli()
                - (System.nanoTime() - request.receivedNanos()) / 1_000_000;
        return receivedWallMs - Instant.parse(row.path("TimeGenerated").asText()).toEpochMilli();
    }

    private static LogsIngestionLogSink sink(HttpsReceiver receiver, Logger warnings) {
        return LogsIngestionLogSink.builder()
                .endpoint(receiver.endpoint())
                .ruleId(SinkTesting.RULE_ID)
                .credential(SinkTesting.STATIC_TOKEN)
                .httpClient(TestCertificate.get().sdkHttpClient())
                .warningLogger(warnings)
                .shutdownHook(false)
                .build();
    }
}
