package io.alertrelay.local.load;

import java.io.PrintStream;
import java.util.Map;

/** The figures of one load run, printed for a person and easy to paste into a report. */
public final class LoadReport {

    private final LoadGenerator.Phase pipeline;
    private final Map<String, Long> arrivals;
    private final LoadGenerator.Phase baseline;

    public LoadReport(LoadGenerator.Phase pipeline, Map<String, Long> arrivals, LoadGenerator.Phase baseline) {
        this.pipeline = pipeline;
        this.arrivals = arrivals;
        this.baseline = baseline;
    }

    public void print(PrintStream out) {
        Percentiles accept = new Percentiles(pipeline.latencyMillis());
        Percentiles endToEnd = new Percentiles(LoadGenerator.endToEnd(pipeline.acceptedIdsSentAt(), arrivals));
        Percentiles noop = new Percentiles(baseline.latencyMillis());
        long lastArrival = arrivals.values().stream().mapToLong(Long::longValue).max().orElse(pipeline.startedAtMillis());
        double deliverySeconds = Math.max(0.001, (lastArrival - pipeline.startedAtMillis()) / 1000.0);

        out.printf("webhook   %d requests: %s in %.1f s → %.0f accepted/s; accept latency p50 %.1f ms, p99 %.1f ms%n",
                pipeline.requests(), statuses(pipeline), pipeline.seconds(), pipeline.acceptedPerSecond(),
                accept.at(50), accept.at(99));
        out.printf("delivered %d of %d accepted in %.1f s (first post to last arrival) → %.0f delivered/s;"
                        + " end-to-end latency p50 %.1f ms, p99 %.1f ms%n",
                arrivals.size(), pipeline.accepted(), deliverySeconds, arrivals.size() / deliverySeconds,
                endToEnd.at(50), endToEnd.at(99));
        out.printf("noop      %d requests: %s in %.1f s → %.0f accepted/s; latency p50 %.1f ms, p99 %.1f ms%n",
                baseline.requests(), statuses(baseline), baseline.seconds(), baseline.acceptedPerSecond(),
                noop.at(50), noop.at(99));
        out.printf("ratio     webhook accepted/s ÷ noop accepted/s = %.2f; delivered/s ÷ noop accepted/s = %.2f%n",
                pipeline.acceptedPerSecond() / baseline.acceptedPerSecond(),
                arrivals.size() / deliverySeconds / baseline.acceptedPerSecond());
    }

    /**
     * The CPU each process used: the pipeline's per delivered alert and per no-op request, and the load generator's
     * own (it shares the machine, so its share is part of the figures).
     */
    public static void printCpu(PrintStream out, CpuClock.Reading pipelineRun, int delivered,
                                CpuClock.Reading noopRun, int noopAccepted) {
        out.printf("cpu       pipeline run: pipeline process %s, load generator %.1f s; noop run: pipeline process"
                        + " %s, load generator %.1f s (%d processors)%n",
                perItem(pipelineRun, delivered, "alert"), pipelineRun.generatorSeconds(),
                perItem(noopRun, noopAccepted, "request"), noopRun.generatorSeconds(),
                Runtime.getRuntime().availableProcessors());
    }

    private static String perItem(CpuClock.Reading reading, int items, String item) {
        if (reading.pipelineSeconds().isEmpty()) {
            return "unknown (its /status.json gives no process.cpuSeconds)";
        }
        double seconds = reading.pipelineSeconds().getAsDouble();
        return items == 0 ? String.format("%.1f s", seconds)
                : String.format("%.1f s = %.2f ms per %s", seconds, seconds * 1000 / items, item);
    }

    private static String statuses(LoadGenerator.Phase phase) {
        return NoisyReport.statuses(phase.statuses(), phase.failures());
    }
}
