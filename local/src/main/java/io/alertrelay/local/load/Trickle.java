package io.alertrelay.local.load;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A steady trickle: one notification every {@code intervalMillis}, from {@link #start()} until {@link #stop()}, each
 * posted at its turn whether or not the previous one was answered — as Azure Monitor sends each notification on its
 * own. (Posting each once the previous was answered made a trickle that fell behind a slow intake catch up in bursts
 * of 20 a second afterwards, which the fair share rightly put in the bulk lane.) Keeps the 202 time of each accepted
 * event.
 */
public final class Trickle {

    private final LoadGenerator load;
    private final URI uri;
    private final long intervalMillis;
    private final IntFunction<byte[]> body;
    private final Map<String, Long> answeredAt = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final ExecutorService posts = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "load-trickle-post");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean stopped;
    private Thread thread;

    public Trickle(LoadGenerator load, URI uri, long intervalMillis, IntFunction<byte[]> body) {
        this.load = load;
        this.uri = uri;
        this.intervalMillis = intervalMillis;
        this.body = body;
    }

    public synchronized void start() {
        thread = new Thread(this::run, "load-trickle");
        thread.setDaemon(true);
        thread.start();
    }

    /** Posts no more, and waits for the posts under way to be answered (their 202s still count). */
    public void stop() throws InterruptedException {
        Thread t;
        synchronized (this) {
            stopped = true;
            notifyAll();
            t = thread;
        }
        if (t != null) {
            t.join(35_000);
        }
        posts.shutdown();
        posts.awaitTermination(35, TimeUnit.SECONDS);
    }

    private void run() {
        long next = System.currentTimeMillis();
        for (int i = 0; awaitTurn(next); i++) {
            next += intervalMillis;
            requests.incrementAndGet();
            byte[] notification = body.apply(i);
            posts.execute(() -> post(notification));
        }
    }

    private void post(byte[] notification) {
        try {
            LoadGenerator.Answer a = load.postOne(uri, notification);
            statuses.merge(a.status(), 1, Integer::sum);
            if (a.eventId() != null) {
                answeredAt.put(a.eventId(), a.answeredAtMillis());
            }
        } catch (IOException e) {
            failures.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until {@code atMillis}; false once stopped. */
    private synchronized boolean awaitTurn(long atMillis) {
        try {
            for (long wait = atMillis - System.currentTimeMillis(); !stopped && wait > 0;
                 wait = atMillis - System.currentTimeMillis()) {
                wait(wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return !stopped;
    }

    /** Event id → when its 202 came back (epoch ms), for each accepted post. */
    public Map<String, Long> acceptedIdsAnsweredAt() {
        return Map.copyOf(answeredAt);
    }

    public int requests() {
        return requests.get();
    }

    public int failures() {
        return failures.get();
    }

    public Map<Integer, Integer> statuses() {
        return new TreeMap<>(statuses);
    }
}
