package io.alertrelay.local.servicebus;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.apache.qpid.proton.amqp.transport.SenderSettleMode;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.EndpointState;
import org.apache.qpid.proton.engine.Sender;

/**
 * A receiver's link to a subscription or its dead-letter queue. In peek-lock mode each delivery's tag is its lock
 * token, and the receiver settles by putting an outcome on the delivery; the emulator answers with the same
 * outcome once applied, or with message-lock-lost. A sender-settled link is receive-and-delete.
 */
final class ConsumerLink implements LinkEndpoint, MessageConsumer {
    private final Sender sender;
    private final MessageQueue queue;
    private final Namespace namespace;

    ConsumerLink(Sender sender, MessageQueue queue, Namespace namespace) {
        this.sender = sender;
        this.queue = queue;
        this.namespace = namespace;
        sender.open();
        queue.addConsumer(this);
    }

    @Override
    public int credit() {
        boolean open = sender.getLocalState() == EndpointState.ACTIVE
                && sender.getRemoteState() == EndpointState.ACTIVE;
        return open ? sender.getCredit() : 0;
    }

    @Override
    public boolean settlesOnSend() {
        return sender.getSenderSettleMode() == SenderSettleMode.SETTLED;
    }

    @Override
    public void deliver(StoredMessage message, UUID lockToken, Instant lockedUntil) {
        byte[] bytes = WireFormat.forDelivery(message, lockToken, lockedUntil);
        UUID tag = lockToken == null ? UUID.randomUUID() : lockToken;
        Delivery delivery = sender.delivery(LockTokens.toDeliveryTag(tag));
        delivery.setContext(lockToken);
        sender.send(bytes, 0, bytes.length);
        sender.advance();
        if (lockToken == null) {
            delivery.settle();
        }
    }

    @Override
    public void onDelivery(Delivery delivery) {
        if (delivery.isSettled() || !(delivery.getContext() instanceof UUID lockToken)) {
            return;
        }
        DeliveryState requested = delivery.getRemoteState();
        if (requested == null && !delivery.remotelySettled()) {
            return; // no outcome yet
        }
        DeliveryState answer = settle(lockToken, requested);
        if (!delivery.remotelySettled()) {
            delivery.disposition(answer);
        }
        delivery.settle();
    }

    private DeliveryState settle(UUID lockToken, DeliveryState requested) {
        Optional<Disposition> disposition = Outcomes.toDisposition(requested);
        if (disposition.isEmpty()) {
            return ServiceBusErrors.rejected(ServiceBusErrors.NOT_IMPLEMENTED,
                    "The Service Bus emulator does not support this settlement (defer or transactions): " + requested);
        }
        if (!queue.settle(lockToken, disposition.get(), namespace.now())) {
            return ServiceBusErrors.lockLost();
        }
        return requested;
    }

    /** Answers a drain request: no more messages now, so the receiver's remaining credit is used up. */
    @Override
    public void afterDispatch() {
        if (sender.getLocalState() == EndpointState.ACTIVE && sender.getDrain()) {
            sender.drained();
        }
    }

    @Override
    public void onClose() {
        // Locks outlive the link, as in Service Bus: the SDK can still settle through $management until they expire.
        queue.removeConsumer(this);
    }
}
