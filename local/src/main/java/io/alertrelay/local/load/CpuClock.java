package io.alertrelay.local.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalDouble;

/**
 * The CPU time two processes have used so far: this one (the load generator) and the pipeline it measures, read from
 * the runtime's {@code /status.json} ({@code process.cpuSeconds}). On a machine the two share, a phase's throughput
 * means little without what each of them spent on it.
 */
public final class CpuClock {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI status;

    public CpuClock(URI pipeline) {
        this.status = pipeline.resolve("/status.json");
    }

    /** CPU seconds of both processes now; the pipeline's is empty when its status page does not give it. */
    public Reading read() throws InterruptedException {
        return new Reading(ownSeconds(), pipelineSeconds());
    }

    /** CPU seconds this JVM has used, all threads. */
    static double ownSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    private OptionalDouble pipelineSeconds() throws InterruptedException {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(status).timeout(Duration.ofSeconds(10)).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            JsonNode cpu = r.statusCode() == 200 ? JSON.readTree(r.body()).path("process").path("cpuSeconds") : null;
            return cpu != null && cpu.isNumber() ? OptionalDouble.of(cpu.doubleValue()) : OptionalDouble.empty();
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
