package io.alertrelay.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Duration BASE = Duration.ofMillis(100);
    private static final Duration CAP = Duration.ofSeconds(2);

    @Test
    void boundDoublesFromTheBaseUntilTheCap() {
        Backoff b = new Backoff(BASE, CAP, new Random(1));
        assertThat(b.bound(0)).isEqualTo(Duration.ofMillis(100));
        assertThat(b.bound(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(b.bound(2)).isEqualTo(Duration.ofMillis(400));
        assertThat(b.bound(3)).isEqualTo(Duration.ofMillis(800));
        assertThat(b.bound(4)).isEqualTo(Duration.ofMillis(1600));
        assertThat(b.bound(5)).isEqualTo(CAP);
        assertThat(b.bound(6)).isEqualTo(CAP);
    }

    @Test
    void boundNeverOverflowsForLargeRetryNumbers() {
        Backoff b = new Backoff(BASE, CAP, new Random(1));
        assertThat(b.bound(63)).isEqualTo(CAP);
        assertThat(b.bound(64)).isEqualTo(CAP);
        assertThat(b.bound(Integer.MAX_VALUE)).isEqualTo(CAP);
    }

    @Test
    void fullJitterStaysWithinZeroAndTheBound() {
        Backoff b = new Backoff(BASE, CAP, new Random(42));
        for (int retry = 0; retry < 12; retry++) {
            Duration bound = b.bound(retry);
            Duration min = bound;
            Duration max = Duration.ZERO;
            for (int i = 0; i < 2_000; i++) {
                Duration d = b.delay(retry);
                assertThat(d).isBetween(Duration.ZERO, bound);
                min = d.compareTo(min) < 0 ? d : min;
                max = d.compareTo(max) > 0 ? d : max;
            }
            // Full jitter, not "bound plus a little": the samples cover the whole range.
            assertThat(min).isLessThan(bound.dividedBy(10));
            assertThat(max).isGreaterThan(bound.multipliedBy(9).dividedBy(10));
        }
    }

    @Test
    void bothEndsOfTheRangeAreReachable() {
        RandomGenerator lowest = () -> 0L;
        assertThat(new Backoff(BASE, CAP, lowest).delay(3)).isEqualTo(Duration.ZERO);
        RandomGenerator highest = new RandomGenerator() {
            @Override
            public long nextLong() {
                return -1L;
            }

            @Override
            public long nextLong(long bound) {
                return bound - 1;
            }
        };
        assertThat(new Backoff(BASE, CAP, highest).delay(3)).isEqualTo(Duration.ofMillis(800));
    }

    @Test
    void rejectsAMeaninglessConfiguration() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, CAP)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(CAP, BASE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(BASE, CAP).bound(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
