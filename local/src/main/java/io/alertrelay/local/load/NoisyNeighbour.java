package io.alertrelay.local.load;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * The noisy-neighbour run of {@code load --noisy N} (issue 14): one tenant posts a flood of N notifications with C
 * clients while a second tenant posts a steady trickle, one notification every interval, from the flood's first post
 * until the flood has drained (its last accepted notification arrived at the sample receiver). Measures, for each
 * tenant, the latency from each 202 to the platform's acceptance, and the flood's drain time.
 */
public final class NoisyNeighbour {

    /** Where to post and how much. */
    public record Plan(URI floodWebhook, URI quietWebhook, URI deliveriesJson, int floodCount, int concurrency,
                       long trickleIntervalMillis, Duration timeout) {
    }

    /** What the run gave: the flood's posts, the trickle's, and the arrivals of both. */
    public record Result(LoadGenerator.Phase flood, Trickle quiet, Map<String, Long> arrivedAt, long lastFloodArrival) {
    }

    /** How often the receiver's arrivals are read: often enough for the drain time, rarely enough not to load it. */
    private static final long POLL_MILLIS = 500;

    private final LoadGenerator load;

    public NoisyNeighbour(LoadGenerator load) {
        this.load = load;
    }

    public Result run(Plan plan, IntFunction<byte[]> floodBodies, IntFunction<byte[]> quietBodies)
            throws InterruptedException, IOException {
        ExecutorService poster = Executors.newSingleThreadExecutor();
        Trickle quiet = new Trickle(load, plan.quietWebhook(), plan.trickleIntervalMillis(), quietBodies);
        long deadline = System.nanoTime() + plan.timeout().toNanos();
        Arrivals arrivals = new Arrivals(load, plan.deliveriesJson(), System.currentTimeMillis());
        try {
            Future<LoadGenerator.Phase> posting = poster.submit(() -> load.post(plan.floodWebhook(), plan.floodCount(),
                    plan.concurrency(), floodBodies));
            quiet.start();
            LoadGenerator.Phase flood = awaitFlood(posting, arrivals, deadline);
            long lastFloodArrival = flood.acceptedIdsSentAt().keySet().stream().map(arrivals.arrivedAt()::get)
                    .filter(java.util.Objects::nonNull).mapToLong(Long::longValue).max().orElse(flood.startedAtMillis());
            quiet.stop();
            awaitArrivals(arrivals, union(flood, quiet), deadline);
            return new Result(flood, quiet, arrivals.arrivedAt(), lastFloodArrival);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("the flood could not be posted: " + e.getCause(), e.getCause());
        } finally {
            quiet.stop();
            poster.shutdownNow();
        }
    }

    /** Until the flood is posted and every accepted notification of it arrived (or the deadline passed). */
    private LoadGenerator.Phase awaitFlood(Future<LoadGenerator.Phase> posting, Arrivals arrivals, long deadline)
            throws InterruptedException, IOException, java.util.concurrent.ExecutionException {
        while (!posting.isDone()) {
            Thread.sleep(POLL_MILLIS);
            arrivals.poll();
        }
        LoadGenerator.Phase flood = posting.get();
        awaitArrivals(arrivals, flood.acceptedIdsSentAt().keySet(), deadline);
        return flood;
    }

    private static void awaitArrivals(Arrivals arrivals, Set<String> ids, long deadline)
            throws InterruptedException, IOException {
        arrivals.poll();
        while (!arrivals.allArrived(ids) && System.nanoTime() < deadline) {
            Thread.sleep(POLL_MILLIS);
            arrivals.poll();
        }
    }

    private static Set<String> union(LoadGenerator.Phase flood, Trickle quiet) {
        Set<String> all = new HashSet<>(flood.acceptedIdsSentAt().keySet());
        all.addAll(quiet.acceptedIdsAnsweredAt().keySet());
        return all;
    }
}
