package io.alertrelay.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

    private final RetryBudget budget = new RetryBudget(Duration.ofSeconds(30), Duration.ofSeconds(10));

    @Test
    void waitsTheBackoffWhenTheServerGaveNoAdvice() {
        assertThat(budget.nextWait(Duration.ofSeconds(1), Duration.ofSeconds(2), Optional.empty()))
                .contains(Duration.ofSeconds(2));
    }

    @Test
    void waitsTheLargerOfRetryAfterAndBackoff() {
        assertThat(budget.nextWait(Duration.ofSeconds(1), Duration.ofSeconds(2), Optional.of(Duration.ofSeconds(5))))
                .contains(Duration.ofSeconds(5));
        assertThat(budget.nextWait(Duration.ofSeconds(1), Duration.ofSeconds(4), Optional.of(Duration.ofSeconds(3))))
                .contains(Duration.ofSeconds(4));
    }

    @Test
    void shortensOurOwnBackoffToWhatStillFits() {
        // 30 s budget - 15 s spent - 10 s for the next call leaves 5 s to wait.
        assertThat(budget.nextWait(Duration.ofSeconds(15), Duration.ofSeconds(8), Optional.empty()))
                .contains(Duration.ofSeconds(5));
    }

    @Test
    void stopsRatherThanCallBackEarlierThanTheServerAsked() {
        assertThat(budget.nextWait(Duration.ofSeconds(15), Duration.ZERO, Optional.of(Duration.ofSeconds(6)))).isEmpty();
        assertThat(budget.nextWait(Duration.ofSeconds(15), Duration.ZERO, Optional.of(Duration.ofSeconds(5))))
                .contains(Duration.ofSeconds(5));
    }

    @Test
    void stopsWhenNotEvenOneMoreCallFits() {
        assertThat(budget.nextWait(Duration.ofMillis(20_001), Duration.ZERO, Optional.empty())).isEmpty();
        assertThat(budget.nextWait(Duration.ofSeconds(20), Duration.ofSeconds(1), Optional.empty()))
                .contains(Duration.ZERO);
    }
}
