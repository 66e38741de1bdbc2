package io.alertrelay.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether another attempt still fits in the time one delivery may take, and how long to wait before it.
 * The budget keeps the whole invocation inside the Service Bus message lock: a retry is only started when the wait
 * plus one whole call (the call timeout) ends within the budget.
 */
public final class RetryBudget {

    private final Duration budget;
    private final Duration callTimeout;

    public RetryBudget(Duration budget, Duration callTimeout) {
        this.budget = Objects.requireNonNull(budget, "budget");
        this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
    }

    /**
     * The wait before the next attempt, or empty to stop retrying.
     *
     * @param elapsed    time spent in this delivery so far
     * @param backoff    our own jittered wait; shortened to fit, since it is only a suggestion of ours
     * @param retryAfter the server's Retry-After, if any; never shortened — if it does not fit we stop rather than
     *                   call back earlier than asked (that would only earn another 429/503)
     */
    public Optional<Duration> nextWait(Duration elapsed, Duration backoff, Optional<Duration> retryAfter) {
        Duration room = budget.minus(elapsed).minus(callTimeout); // the longest wait that leaves a whole call
        if (room.isNegative()) {
            return Optional.empty();
        }
        if (retryAfter.isPresent() && retryAfter.get().compareTo(room) > 0) {
            return Optional.empty();
        }
        Duration wait = backoff.compareTo(room) > 0 ? room : backoff;
        if (retryAfter.isPresent() && retryAfter.get().compareTo(wait) > 0) {
            wait = retryAfter.get();
        }
        return Optional.of(wait);
    }

    public Duration budget() {
        return budget;
    }
}
