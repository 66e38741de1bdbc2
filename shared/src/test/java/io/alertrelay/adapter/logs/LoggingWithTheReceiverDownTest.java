package io.alertrelay.adapter.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.intake.AlertIntake;
import io.alertrelay.intake.IntakeRequest;
import io.alertrelay.intake.IntakeResponse;
import io.alertrelay.intake.TenantTokens;
import io.alertrelay.logging.PipelineLog;
import io.alertrelay.logging.Redaction;
import io.alertrelay.domain.AlertMessage;
import io.alertrelay.settings.Secret;
import io.alertrelay.testing.Fixtures;
import io.alertrelay.testing.RecordingPublisher;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** With Log Analytics unreachable, the pipeline answers exactly as without logging; only the drop counter moves. */
class LoggingWithTheReceiverDownTest {

    private final TenantTokens tokens = new TenantTokens(List.of(new Secret("tenant-key-for-tests")));

    @Test
    void thePipelinesResultsAreUnchangedAndTheDropCounterRises() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        SinkTesting.Captured warnings = SinkTesting.captureWarnings();
        RecordingPublisher loggedBus = new RecordingPublisher();
        RecordingPublisher plainBus = new RecordingPublisher();
        AlertIntake logged = AlertIntake.builder().tokens(tokens).publisher(loggedBus).build();
        AlertIntake plain = AlertIntake.builder().tokens(tokens).publisher(plainBus).build();
        List<IntakeRequest> requests = requests();

        List<IntakeResponse> expected = run(requests, plainBus, r -> plain.handle(r));
        List<IntakeResponse> actual;
        long slowestLogCallFreeNanos;
        try (LogsIngestionLogSink sink = SinkTesting.sinkTo("https://127.0.0.1:" + closedPort, warnings.logger).build()) {
            PipelineLog pipelineLog = PipelineLog.of(sink, Redaction.patternsOnly());
            long[] slowest = {0};
            int[] n = {0};
            actual = run(requests, loggedBus, r -> {
                long t0 = System.nanoTime();
                IntakeResponse out = FunctionBodies.webhook(logged, pipelineLog, r, "inv-" + n[0]++, null);
                slowest[0] = Math.max(slowest[0], System.nanoTime() - t0);
                return out;
            });
            slowestLogCallFreeNanos = slowest[0];
            sink.flush(Duration.ofSeconds(15));

            long calls = requests.stream().filter(r -> r != null).count();
            assertThat(sink.dropped()).as("two entries per request, all dropped").isEqualTo(2L * calls);
            assertThat(pipelineLog.failures()).isZero();
        }

        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i).status()).isEqualTo(expected.get(i).status());
            assertThat(actual.get(i).body()).isEqualTo(expected.get(i).body());
            assertThat(actual.get(i).headers()).isEqualTo(expected.get(i).headers());
        }
        assertThat(actual).extracting(IntakeResponse::status).contains(202, 401, 400, 503);
        assertThat(loggedBus.published()).extracting(AlertMessage::messageId)
                .containsExactlyElementsOf(plainBus.published().stream().map(AlertMessage::messageId).toList());
        assertThat(slowestLogCallFreeNanos / 1_000_000).as("slowest request, ms").isLessThan(500);
        assertThat(warnings.warnings()).hasSize(1);
    }

    private List<IntakeRequest> requests() {
        String token = tokens.tokenFor("contoso");
        List<IntakeRequest> requests = new ArrayList<>();
        for (String fixture : List.of("test-metric-static.json", "test-log-v2.json", "cs-full-metric-resolved.json",
                "test-service-health.json", "autoscale-scale-out.json")) {
            requests.add(new IntakeRequest("contoso", token, "application/json", Fixtures.bytes(fixture)));
        }
        requests.add(new IntakeRequest("contoso", "wrong", "application/json", Fixtures.bytes("test-budget.json")));
        requests.add(new IntakeRequest("contoso", token, "application/json", "{not json".getBytes()));
        requests.add(null); // the bus fails for the next one
        requests.add(new IntakeRequest("contoso", token, "application/json", Fixtures.bytes("test-budget.json")));
        return requests;
    }

    private static List<IntakeResponse> run(List<IntakeRequest> requests, RecordingPublisher bus,
                                            Function<IntakeRequest, IntakeResponse> call) {
        List<IntakeResponse> out = new ArrayList<>();
        for (IntakeRequest r : requests) {
            if (r == null) {
                bus.failWith(RecordingPublisher.unreachable());
                continue;
            }
            out.add(call.apply(r));
        }
        bus.failWith(null);
        return out;
    }
}
