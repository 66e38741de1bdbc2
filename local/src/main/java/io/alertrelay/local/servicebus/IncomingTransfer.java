package io.alertrelay.local.servicebus;

import java.io.ByteArrayOutputStream;
import java.util.Optional;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.Receiver;

/**
 * The bytes of one incoming delivery, gathered across transfer frames. Past the size limit it only counts, so an
 * oversize message is read off the wire (keeping the session window open) without being kept in memory.
 */
final class IncomingTransfer {
    private final int limit;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private long size;

    private IncomingTransfer(int limit) {
        this.limit = limit;
    }

    /** Reads the bytes of {@code delivery} that have arrived; the transfer lives in the delivery's context. */
    static IncomingTransfer read(Receiver receiver, Delivery delivery, int limit) {
        IncomingTransfer transfer;
        if (delivery.getContext() instanceof IncomingTransfer existing) {
            transfer = existing;
        } else {
            transfer = new IncomingTransfer(limit);
            delivery.setContext(transfer);
        }
        byte[] chunk = new byte[Math.max(delivery.pending(), 1024)];
        int read;
        while ((read = receiver.recv(chunk, 0, chunk.length)) > 0) {
            transfer.size += read;
            if (transfer.size <= limit) {
                transfer.kept.write(chunk, 0, read);
            }
        }
        return transfer;
    }

    /**
     * The whole transfer of {@code delivery} once its last frame has arrived, the receiver advanced past it; empty
     * while frames are still missing, or when it is settled or not the receiver's current delivery.
     */
    static Optional<IncomingTransfer> complete(Receiver receiver, Delivery delivery, int limit) {
        if (delivery.isSettled() || delivery != receiver.current()) {
            return Optional.empty();
        }
        IncomingTransfer transfer = read(receiver, delivery, limit);
        if (delivery.isPartial()) {
            return Optional.empty();
        }
        receiver.advance();
        return Optional.of(transfer);
    }

    /** Answers {@code outcome} (null: none) unless the sender settled first, settles, and tops up the link credit. */
    static void settle(Receiver receiver, Delivery delivery, DeliveryState outcome, int credit) {
        if (outcome != null && !delivery.remotelySettled()) {
            delivery.disposition(outcome);
        }
        delivery.settle();
        if (receiver.getCredit() < credit / 2) {
            receiver.flow(credit - receiver.getCredit());
        }
    }

    boolean exceedsLimit() {
        return size > limit;
    }

    long size() {
        return size;
    }

    byte[] bytes() {
        return kept.toByteArray();
    }
}
