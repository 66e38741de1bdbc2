package io.alertrelay.local.load;

import java.util.Arrays;

/** Nearest-rank percentiles of a set of durations in milliseconds. */
final class Percentiles {

    private final double[] sorted;

    Percentiles(double[] millis) {
        this.sorted = millis.clone();
        Arrays.sort(sorted);
    }

    /** The p-th percentile (0 < p ≤ 100), or NaN when there are no values. */
    double at(double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    int count() {
        return sorted.length;
    }
}
