package io.alertrelay.bench;

import io.alertrelay.intake.AlertIntake;
import io.alertrelay.intake.IntakeRequest;
import io.alertrelay.intake.IntakeResponse;
import io.alertrelay.intake.TenantTokens;
import io.alertrelay.logging.PipelineLog;
import io.alertrelay.logging.Redaction;
import io.alertrelay.testing.InMemoryLogSink;
import io.alertrelay.port.AlertPublisher;
import io.alertrelay.settings.Secret;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The webhook handler's own cost, the send excluded: token check, content checks, normalisation, CloudEvents
 * serialisation, message mapping and the 202 body, with a publisher that acknowledges at once. The second variant
 * adds the pipeline log's two rows (received, published) into an in-memory sink, without a function logger.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class WebhookHandlerBenchmark {

    private AlertIntake intake;
    private PipelineLog log;
    private List<IntakeRequest> requests;
    private int next;

    @Setup
    public void build() {
        TenantTokens tokens = new TenantTokens(List.of(new Secret("benchmark-key"), new Secret("older-key")));
        AlertPublisher acknowledgeAtOnce = message -> { };
        intake = AlertIntake.builder().tokens(tokens).publisher(acknowledgeAtOnce).build();
        String token = tokens.tokenFor("contoso");
        log = PipelineLog.of(new InMemoryLogSink(1_000), Redaction.of(List.of("benchmark-key", "older-key")));
        requests = FixtureMix.bodies().stream()
                .map(b -> new IntakeRequest("contoso", token, "application/json", b)).toList();
    }

    @Benchmark
    public IntakeResponse handleOneOfTheMix() {
        return check(intake.handle(nextRequest()));
    }

    @Benchmark
    public IntakeResponse handleAndLogOneOfTheMix() {
        return check(intake.handle(nextRequest(), log.forInvocation("AlertWebhook", "bench", null)));
    }

    private IntakeRequest nextRequest() {
        IntakeRequest r = requests.get(next);
        next = (next + 1) % requests.size();
        return r;
    }

    private static IntakeResponse check(IntakeResponse response) {
        if (response.status() != 202) {
            throw new IllegalStateException("expected 202, got " + response.status());
        }
        return response;
    }
}
