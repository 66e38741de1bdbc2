package io.alertrelay.local.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.local.ThisProcess;
import java.io.IOException;
import java.net.URI;
import java.util.OptionalDouble;

/**
 * The CPU time two processes have used so far: this one (the load generator) and the pipeline it measures, read from
 * the runtime's {@code /status.json} ({@code process.cpuSeconds}) with the generator's own client. On a machine the
 * two share, a phase's throughput means little without what each of them spent on it.
 */
public final class CpuClock {

    private final LoadGenerator load;
    private final URI status;

    public CpuClock(LoadGenerator load, URI pipeline) {
        this.load = load;
        this.status = pipeline.resolve("/status.json");
    }

    /** CPU seconds of both processes now; the pipeline's is empty when its status page does not give it. */
    public Reading read() throws InterruptedException {
        return new Reading(ThisProcess.cpuSeconds().orElse(Double.NaN), pipelineSeconds());
    }

    private OptionalDouble pipelineSeconds() throws InterruptedException {
        try {
            JsonNode cpu = load.getJson(status).path("process").path("cpuSeconds");
            return cpu.isNumber() ? OptionalDouble.of(cpu.doubleValue()) : OptionalDouble.empty();
        } catch (IOException e) {
            return OptionalDouble.empty();
        }
    }

    /** CPU seconds used so far by the load generator and by the pipeline's process (empty when unknown). */
    public record Reading(double generatorSeconds, OptionalDouble pipelineSeconds) {

        /** What each used between {@code earlier} and this reading. */
        public Reading since(Reading earlier) {
            OptionalDouble pipeline = pipelineSeconds.isPresent() && earlier.pipelineSeconds.isPresent()
                    ? OptionalDouble.of(pipelineSeconds.getAsDouble() - earlier.pipelineSeconds.getAsDouble())
                    : OptionalDouble.empty();
            return new Reading(generatorSeconds - earlier.generatorSeconds, pipeline);
        }
    }
}
