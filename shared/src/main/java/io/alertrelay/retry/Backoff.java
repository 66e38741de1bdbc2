package io.alertrelay.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: the wait before retry {@code n} (0 = before the second attempt) is uniform
 * in {@code [0, min(cap, base * 2^n)]}. Full jitter spreads the retries of many instances that failed together
 * (one platform outage fails every in-flight delivery at once) instead of having them return in waves.
 */
public final class Backoff {

    private final long baseMillis;
    private final long capMillis;
    private final RandomGenerator random;

    /** @param random the jitter source; must be safe to share between threads when the client is ({@link Random} is). */
    public Backoff(Duration base, Duration cap, RandomGenerator random) {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(cap, "cap");
        if (base.isNegative() || base.isZero()) {
            throw new IllegalArgumentException("backoff base must be positive: " + base);
        }
        if (cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff cap " + cap + " is below its base " + base);
        }
        this.baseMillis = base.toMillis();
        this.capMillis = cap.toMillis();
        this.random = Objects.requireNonNull(random, "random");
    }

    public Backoff(Duration base, Duration cap) {
        this(base, cap, new Random());
    }

    /** The upper end of the jitter range for retry {@code n}: {@code min(cap, base * 2^n)}, without overflow. */
    public Duration bound(int retry) {
        if (retry < 0) {
            throw new IllegalArgumentException("retry must be >= 0: " + retry);
        }
        // base * 2^n exceeds the cap long before it exceeds a long: stop doubling as soon as it does.
        long bound = baseMillis;
        for (int i = 0; i < retry && bound < capMillis; i++) {
            bound *= 2;
        }
        return Duration.ofMillis(Math.min(bound, capMillis));
    }

    /** A random wait in {@code [0, bound(retry)]}, both ends included, to the millisecond. */
    public Duration delay(int retry) {
        return Duration.ofMillis(random.nextLong(bound(retry).toMillis() + 1));
    }

    @Override
    public String toString() {
        return "Backoff[base=" + Duration.ofMillis(baseMillis) + ", cap=" + Duration.ofMillis(capMillis) + ", full jitter]";
    }
}
