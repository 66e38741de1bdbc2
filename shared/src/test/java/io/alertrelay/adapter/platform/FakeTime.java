package io.alertrelay.adapter.platform;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Time for the client's tests: real time plus every wait the client asked for, which is recorded instead of slept.
 * HTTP calls still take their real time, so the budget sees both; the wall clock stays near now, so signatures
 * still verify against a verifier that checks timestamps with the real clock.
 */
final class FakeTime implements Sleeper {

    private final List<Duration> waits = new ArrayList<>();
    private long sleptNanos;

    @Override
    public synchronized void sleep(Duration duration) {
        waits.add(duration);
        sleptNanos += duration.toNanos();
    }

    synchronized List<Duration> waits() {
        return List.copyOf(waits);
    }

    synchronized Duration slept() {
        return Duration.ofNanos(sleptNanos);
    }

    LongSupplier nanoTime() {
        return () -> System.nanoTime() + slept().toNanos();
    }

    Clock clock() {
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

    /** Wires this time into a client builder. */
    OkHttpPlatformClient.Builder into(OkHttpPlatformClient.Builder builder) {
        return builder.sleeper(this).nanoTime(nanoTime()).clock(clock());
    }
}
