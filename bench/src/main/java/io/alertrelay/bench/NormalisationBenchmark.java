package io.alertrelay.bench;

import io.alertrelay.domain.schema.AlertNormaliser;
import io.alertrelay.domain.PlatformEvent;
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
 * Normalisation throughput on one thread (one core) over the mix of published fixtures: parse, detect the schema,
 * normalise, compute the identity. Each operation is one notification.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class NormalisationBenchmark {

    private final AlertNormaliser normaliser = new AlertNormaliser();
    private List<byte[]> bodies;
    private int next;

    @Setup
    public void load() {
        bodies = FixtureMix.bodies();
    }

    @Benchmark
    public PlatformEvent normaliseOneOfTheMix() {
        byte[] body = bodies.get(next);
        next = (next + 1) % bodies.size();
        return normaliser.normalise("contoso", body);
    }
}
