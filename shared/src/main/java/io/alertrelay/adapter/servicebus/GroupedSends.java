package io.alertrelay.adapter.servicebus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Sends what concurrent callers submit in groups, each caller blocked until its own item was sent or failed: a group
 * commit. When no group is on its way, a caller sends everything queued, its own item included; callers who queue
 * meanwhile wait, and the next of them sends all of theirs in one go. So under load one broker round trip carries
 * many items, and a lone caller sends at once, waiting for no company. No thread of its own: the callers take turns,
 * and a caller sends at most the one group that holds its own item.
 *
 * <p>The group sender must settle every item it is given ({@link Item#sent()} or {@link Item#failed}); what it
 * throws fails the items it left unsettled.
 */
final class GroupedSends<T> {

    /** A waiting caller looks again this often even if no one woke it (a wake-up is an optimisation only). */
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final ConcurrentLinkedQueue<Item<T>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final Consumer<List<Item<T>>> groupSender;

    GroupedSends(Consumer<List<Item<T>>> groupSender) {
        this.groupSender = Objects.requireNonNull(groupSender, "groupSender");
    }

    /**
     * Sends {@code value} in a group with whatever else is queued; returns once it was sent.
     *
     * @throws SendFailedException when the send failed for it, or did not happen within {@code timeout}: then it was
     *         taken out of the queue if it was still there, or it is on its way and may yet arrive, as with any send
     *         whose answer never came
     */
    void send(T value, Duration timeout) {
        Item<T> item = new Item<>(value, Thread.currentThread());
        queue.add(item);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!item.settled()) {
            if (sending.compareAndSet(false, true)) {
                try {
                    sendGroup(takeQueued()); // holds this caller's item: no group was on its way with it
                } finally {
                    sending.set(false);
                }
                wakeNext();
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                queue.remove(item);
                item.failed(new TimeoutException("not sent within " + timeout));
                break;
            }
            LockSupport.parkNanos(this, Math.min(left, RECHECK_NANOS));
        }
        if (item.failure != null) {
            throw new SendFailedException(item.failure);
        }
    }

    private List<Item<T>> takeQueued() {
        List<Item<T>> group = new ArrayList<>();
        for (Item<T> i = queue.poll(); i != null; i = queue.poll()) {
            group.add(i);
        }
        return group;
    }

    private void sendGroup(List<Item<T>> group) {
        try {
            groupSender.accept(group);
        } catch (RuntimeException e) {
            group.forEach(i -> i.failed(e));
        }
        group.forEach(i -> i.failed(new IllegalStateException("the group sender left this item unsettled")));
    }

    /** The caller of the oldest queued item sends the next group. */
    private void wakeNext() {
        Item<T> next = queue.peek();
        if (next != null) {
            LockSupport.unpark(next.owner);
        }
    }

    /** One caller's value; settled once, by the first of sent or failed. */
    static final class Item<T> {
        private final T value;
        private final Thread owner;
        private Throwable failure; // written before settled, read after it
        private volatile boolean settled;

        private Item(T value, Thread owner) {
            this.value = value;
            this.owner = owner;
        }

        T value() {
            return value;
        }

        void sent() {
            settle(null);
        }

        void failed(Throwable cause) {
            settle(Objects.requireNonNull(cause, "cause"));
        }

        private void settle(Throwable cause) {
            synchronized (this) {
                if (settled) {
                    return;
                }
                failure = cause;
                settled = true;
            }
            LockSupport.unpark(owner);
        }

        private boolean settled() {
            return settled;
        }
    }

    /** The send of one item failed or did not happen in time; the cause says which. */
    static final class SendFailedException extends RuntimeException {
        SendFailedException(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }
}
