package io.alertrelay.bench;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/** Calls and CPU nanoseconds spent on the calling thread inside the calls it wraps (an adapter's own cost). */
final class CpuMeter {

    private final LongAdder calls = new LongAdder();
    private final LongAdder nanos = new LongAdder();

    <T> T measure(Supplier<T> call) {
        long start = ThreadCpu.currentThreadNanos();
        try {
            return call.get();
        } finally {
            nanos.add(ThreadCpu.currentThreadNanos() - start);
            calls.increment();
        }
    }

    void measure(Runnable call) {
        measure(() -> {
            call.run();
            return null;
        });
    }

    long calls() {
        return calls.sum();
    }

    long nanos() {
        return nanos.sum();
    }

    /** Calls and nanoseconds since the last take, and resets. */
    long[] take() {
        return new long[] {calls.sumThenReset(), nanos.sumThenReset()};
    }
}
