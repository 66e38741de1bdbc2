package io.alertrelay.intake;

import io.alertrelay.domain.Lane;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Which lane each tenant's next alert takes (issue 14): the standard lane while the tenant has sent at most
 * {@code alertsPerWindow} alerts over the last {@code window}, the bulk lane beyond that. A sliding window per
 * tenant, counted in {@value #SLOTS} slots of window/{@value #SLOTS} each, so a tenant is back in the standard lane at
 * most one slot after its rate has fallen below its share.
 *
 * <p>The count is this instance's: in Azure every function app instance has its own, and HTTP requests are spread
 * over the instances, so with n instances a tenant reaches the bulk lane at about n times {@code alertsPerWindow} in
 * total. The threshold is what one instance lets one tenant put in front of everyone else's alerts per window; as the
 * app scales out, so does the delivery capacity behind it.
 *
 * <p>Thread-safe; tenants silent for a whole window are forgotten.
 */
public final class FairShare {

    /** The defaults of FAIR_SHARE_WINDOW_SECONDS and FAIR_SHARE_ALERTS (Settings says why). */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
    public static final int DEFAULT_ALERTS_PER_WINDOW = 100;
    static final int SLOTS = 10;
    /** How many counts between sweeps of silent tenants. */
    private static final int SWEEP_EVERY = 4096;

    private final long slotNanos;
    private final int alertsPerWindow;
    private final LongSupplier nanoTime;
    private final Map<String, TenantWindow> tenants = new ConcurrentHashMap<>();
    private final AtomicLong counted = new AtomicLong();

    /** {@value #DEFAULT_ALERTS_PER_WINDOW} alerts per tenant per 10 s. */
    public static FairShare withDefaults() {
        return new FairShare(DEFAULT_WINDOW, DEFAULT_ALERTS_PER_WINDOW);
    }

    public FairShare(Duration window, int alertsPerWindow) {
        this(window, alertsPerWindow, System::nanoTime);
    }

    FairShare(Duration window, int alertsPerWindow, LongSupplier nanoTime) {
        if (window.toMillis() < SLOTS) {
            throw new IllegalArgumentException("the window must be at least " + SLOTS + " ms");
        }
        if (alertsPerWindow < 1) {
            throw new IllegalArgumentException("alertsPerWindow must be at least 1");
        }
        this.slotNanos = window.toNanos() / SLOTS;
        this.alertsPerWindow = alertsPerWindow;
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** Counts one alert of {@code tenant} now and says its lane: bulk once the tenant is over its share. */
    public Lane laneFor(String tenant) {
        long slot = nanoTime.getAsLong() / slotNanos;
        int inWindow = tenants.computeIfAbsent(tenant, t -> new TenantWindow()).count(slot);
        if (counted.incrementAndGet() % SWEEP_EVERY == 0) {
            forgetSilent(slot);
        }
        return inWindow > alertsPerWindow ? Lane.BULK : Lane.STANDARD;
    }

    /** Alerts of {@code tenant} over the current window (for tests and the status of one instance). */
    int countOf(String tenant) {
        TenantWindow w = tenants.get(tenant);
        return w == null ? 0 : w.total(nanoTime.getAsLong() / slotNanos);
    }

    private void forgetSilent(long slot) {
        for (Iterator<Map.Entry<String, TenantWindow>> it = tenants.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue().total(slot) == 0) {
                it.remove(); // a count racing with this removal lands in a fresh window: it errs toward standard
            }
        }
    }

    /** One tenant's counts per slot, the newest at {@code slot % SLOTS}. */
    private static final class TenantWindow {
        private final int[] counts = new int[SLOTS];
        private long newestSlot = Long.MIN_VALUE;

        synchronized int count(long slot) {
            advance(slot);
            counts[(int) Math.floorMod(slot, (long) SLOTS)]++;
            return sum();
        }

        synchronized int total(long slot) {
            advance(slot);
            return sum();
        }

        /** Clears the slots that left the window since the newest one counted. */
        private void advance(long slot) {
            if (slot <= newestSlot) {
                return;
            }
            long gap = newestSlot == Long.MIN_VALUE ? SLOTS : Math.min(SLOTS, slot - newestSlot);
            for (long s = slot - gap + 1; s <= slot; s++) {
                counts[(int) Math.floorMod(s, (long) SLOTS)] = 0;
            }
            newestSlot = slot;
        }

        private int sum() {
            int total = 0;
            for (int c : counts) {
                total += c;
            }
            return total;
        }
    }
}
