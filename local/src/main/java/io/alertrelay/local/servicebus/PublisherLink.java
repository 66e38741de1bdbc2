package io.alertrelay.local.servicebus;

import java.time.Instant;
import java.util.List;
import org.apache.qpid.proton.amqp.UnsignedLong;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.Receiver;
import org.apache.qpid.proton.message.Message;

/**
 * A sender's link to a topic. Advertises the size limit on attach (the SDK sizes its batches by it) and still
 * checks every transfer, because a client is free to ignore the advertisement.
 */
final class PublisherLink implements LinkEndpoint {
    private static final int CREDIT = 100;

    private final Receiver receiver;
    private final Topic topic;
    private final Namespace namespace;
    private final int maxMessageBytes;
    private final long maxTopicBytes;

    PublisherLink(Receiver receiver, Topic topic, Namespace namespace) {
        this.receiver = receiver;
        this.topic = topic;
        this.namespace = namespace;
        this.maxMessageBytes = namespace.settings().maxMessageBytes();
        this.maxTopicBytes = namespace.settings().maxTopicBytes();
        receiver.setMaxMessageSize(UnsignedLong.valueOf(maxMessageBytes));
        receiver.open();
        receiver.flow(CREDIT);
    }

    @Override
    public void onDelivery(Delivery delivery) {
        IncomingTransfer.complete(receiver, delivery, maxMessageBytes).ifPresent(transfer -> IncomingTransfer.settle(
                receiver, delivery, delivery.isAborted() ? null : publish(transfer, delivery.getMessageFormat()), CREDIT));
    }

    private DeliveryState publish(IncomingTransfer transfer, int messageFormat) {
        if (transfer.exceedsLimit()) {
            return ServiceBusErrors.rejected(ServiceBusErrors.MESSAGE_SIZE_EXCEEDED, "The message of "
                    + transfer.size() + " bytes exceeds the limit of " + maxMessageBytes + " bytes.");
        }
        long topicBytes = topic.sizeInBytes();
        if (topicBytes >= maxTopicBytes) {
            // Service Bus: once a topic is full, "subsequent incoming messages are rejected" (quotas page)
            return ServiceBusErrors.rejected(ServiceBusErrors.QUOTA_EXCEEDED, "The maximum entity size has been "
                    + "reached or exceeded for Topic: '" + topic.name() + "'. Size of entity in bytes:" + topicBytes
                    + ", Max entity size in bytes: " + maxTopicBytes + ".");
        }
        List<byte[]> messages;
        List<Message> decoded;
        try {
            messages = WireFormat.unpack(transfer.bytes(), messageFormat);
            decoded = messages.stream().map(WireFormat::decode).toList();
        } catch (RuntimeException e) {
            return ServiceBusErrors.rejected(ServiceBusErrors.DECODE_ERROR, "Malformed message: " + e);
        }
        if (decoded.stream().anyMatch(WireFormat::isScheduled)) {
            return ServiceBusErrors.rejected(ServiceBusErrors.NOT_IMPLEMENTED,
                    "Scheduled messages are not emulated: the Service Bus emulator would deliver them at once.");
        }
        Instant now = namespace.now();
        for (int i = 0; i < messages.size(); i++) {
            topic.publish(messages.get(i), WireFormat.messageId(decoded.get(i)),
                    WireFormat.applicationProperties(decoded.get(i)), now);
        }
        return Accepted.getInstance();
    }
}
