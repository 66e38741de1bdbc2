package io.alertrelay.local.load;

import java.io.PrintStream;
import java.util.Map;

/** The figures of a noisy-neighbour run: each tenant's 202-to-platform latency, and the flood's drain time. */
public final class NoisyReport {

    private final NoisyNeighbour.Result result;
    private final String floodTenant;
    private final String quietTenant;

    public NoisyReport(NoisyNeighbour.Result result, String floodTenant, String quietTenant) {
        this.result = result;
        this.floodTenant = floodTenant;
        this.quietTenant = quietTenant;
    }

    public void print(PrintStream out, long trickleIntervalMillis) {
        LoadGenerator.Phase flood = result.flood();
        Map<String, Long> floodAccepted = flood.acceptedIdsAnsweredAt();
        Map<String, Long> quietAccepted = result.quiet().acceptedIdsAnsweredAt();
        Percentiles floodLatency = new Percentiles(LoadGenerator.afterThe202(floodAccepted, result.arrivedAt()));
        Percentiles quietLatency = new Percentiles(LoadGenerator.afterThe202(quietAccepted, result.arrivedAt()));
        double drain = Math.max(0.001, (result.lastFloodArrival() - flood.startedAtMillis()) / 1000.0);

        out.printf("flood     %d requests from tenant %s: %s in %.1f s → %.0f accepted/s%n", flood.requests(),
                floodTenant, statuses(flood.statuses(), flood.failures()), flood.seconds(), flood.acceptedPerSecond());
        out.printf("          delivered %d of %d accepted; drained in %.1f s (first post to last arrival);"
                        + " 202 to platform p50 %.0f ms, p99 %.0f ms%n", floodLatency.count(), floodAccepted.size(),
                drain, floodLatency.at(50), floodLatency.at(99));
        out.printf("quiet     %d requests from tenant %s, one every %d ms while the flood lasted: %s%n",
                result.quiet().requests(), quietTenant, trickleIntervalMillis,
                statuses(result.quiet().statuses(), result.quiet().failures()));
        out.printf("          delivered %d of %d accepted; 202 to platform p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                quietLatency.count(), quietAccepted.size(), quietLatency.at(50), quietLatency.at(99),
                quietLatency.at(100));
    }

    /** True when every accepted notification of both tenants arrived. */
    public boolean allDelivered() {
        return result.arrivedAt().keySet().containsAll(result.flood().acceptedIdsAnsweredAt().keySet())
                && result.arrivedAt().keySet().containsAll(result.quiet().acceptedIdsAnsweredAt().keySet());
    }

    static String statuses(Map<Integer, Integer> statuses, int failures) {
        StringBuilder s = new StringBuilder();
        statuses.forEach((status, n) -> s.append(s.length() == 0 ? "" : ", ").append(n).append(" × ").append(status));
        if (failures > 0) {
            s.append(s.length() == 0 ? "" : ", ").append(failures).append(" failed");
        }
        return s.length() == 0 ? "no answers" : s.toString();
    }
}
