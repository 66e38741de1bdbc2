package io.alertrelay.testing;

import io.alertrelay.retry.Sleeper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Time for tests of retrying code (the platform client, the dequeuer's store retries): real time plus every wait the client asked for, which is recorded instead of slept.
 * HTTP calls still take their real time, so the budget sees both; the wall clock stays near now, so signatures
 * still verify against a verifier that checks timestamps with the real clock.
 */
public final class FakeTime implements Sleeper {

    private final List<Duration> waits = new ArrayList<>();
    private long sleptNanos;

    @Override
    public synchronized void sleep(Duration duration) {
        waits.add(duration);
        sleptNanos += duration.toNanos();
    }

    public synchronized List<Duration> waits() {
        return List.copyOf(waits);
    }

    public synchronized Duration slept() {
        return Duration.ofNanos(sleptNanos);
    }

    public LongSupplier nanoTime() {
        return () -> System.nanoTime() + slept().toNanos();
    }

    public Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Instant instant() {
                return Instant.now().plus(slept());
            }
        };
    }
}
