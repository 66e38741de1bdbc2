package io.alertrelay.delivery;

import io.alertrelay.port.TransientStoreException;
import io.alertrelay.retry.Backoff;
import io.alertrelay.retry.RetryBudget;
import io.alertrelay.retry.Sleeper;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Retries a store call that failed transiently (throttled, unavailable, timed out) within one invocation, with the
 * platform client's policy: full-jitter exponential backoff, the store's own retry-after honoured (Cosmos DB's
 * x-ms-retry-after-ms), and no retry that would end beyond the invocation's time budget. So a store brownout of
 * a few seconds costs latency, not a redelivery; a longer one goes back to the broker. Permanent failures are not
 * retried. One instance per invocation: the budget runs from its creation.
 */
final class StoreRetry {

    private final Backoff backoff;
    private final RetryBudget budget;
    private final Sleeper sleeper;
    private final LongSupplier nanoTime;
    private final long start;

    StoreRetry(Backoff backoff, RetryBudget budget, Sleeper sleeper, LongSupplier nanoTime) {
        this.backoff = backoff;
        this.budget = budget;
        this.sleeper = sleeper;
        this.nanoTime = nanoTime;
        this.start = nanoTime.getAsLong();
    }

    <T> T call(Supplier<T> storeCall) {
        for (int retry = 0; ; retry++) {
            try {
                return storeCall.get();
            } catch (TransientStoreException e) {
                Duration elapsed = Duration.ofNanos(nanoTime.getAsLong() - start);
                Optional<Duration> wait = budget.nextWait(elapsed, backoff.delay(retry), e.retryAfter());
                if (wait.isEmpty()) {
                    throw e;
                }
                pause(wait.get(), e);
            }
        }
    }

    void run(Runnable storeCall) {
        call(() -> {
            storeCall.run();
            return null;
        });
    }

    private void pause(Duration wait, TransientStoreException cause) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw cause; // the host is stopping: the broker redelivers
        }
    }
}
