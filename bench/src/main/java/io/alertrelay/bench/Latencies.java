package io.alertrelay.bench;

import java.util.Arrays;

/** Collected latencies in nanoseconds, reported as percentiles in milliseconds. */
final class Latencies {

    private final long[] nanos;
    private int size;

    Latencies(int capacity) {
        nanos = new long[capacity];
    }

    synchronized void add(long nanosTaken) {
        nanos[size++] = nanosTaken;
    }

    synchronized String summary() {
        long[] sorted = Arrays.copyOf(nanos, size);
        Arrays.sort(sorted);
        return String.format("p50 %.2f ms, p99 %.2f ms, max %.2f ms (n=%d)",
                ms(percentile(sorted, 50)), ms(percentile(sorted, 99)), ms(sorted[sorted.length - 1]), size);
    }

    private static long percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }
}
