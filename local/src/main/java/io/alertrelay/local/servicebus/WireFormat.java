package io.alertrelay.local.servicebus;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.UnsignedInteger;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.Header;
import org.apache.qpid.proton.amqp.messaging.MessageAnnotations;
import org.apache.qpid.proton.codec.AMQPDefinedTypes;
import org.apache.qpid.proton.codec.DecoderImpl;
import org.apache.qpid.proton.codec.EncoderImpl;
import org.apache.qpid.proton.message.Message;

/** How Service Bus messages look on the wire: batches in, broker annotations out. */
final class WireFormat {
    /** Message format of an SDK batch: an envelope whose Data sections each hold one encoded message. */
    static final int BATCH_MESSAGE_FORMAT = 0x80013700;

    static final Symbol SEQUENCE_NUMBER = Symbol.valueOf("x-opt-sequence-number");
    static final Symbol ENQUEUED_TIME = Symbol.valueOf("x-opt-enqueued-time");
    static final Symbol LOCK_TOKEN = Symbol.valueOf("x-opt-lock-token");
    static final Symbol LOCKED_UNTIL = Symbol.valueOf("x-opt-locked-until");
    static final Symbol SCHEDULED_ENQUEUE_TIME = Symbol.valueOf("x-opt-scheduled-enqueue-time");

    private WireFormat() {
    }

    /** The messages in one transfer: itself, or for a batch the message in each Data section. */
    static List<byte[]> unpack(byte[] payload, int messageFormat) {
        if (messageFormat != BATCH_MESSAGE_FORMAT) {
            return List.of(payload);
        }
        // proton-j's Message keeps only one body section, so read the sections one by one.
        DecoderImpl decoder = new DecoderImpl();
        AMQPDefinedTypes.registerAllTypes(decoder, new EncoderImpl(decoder));
        ByteBuffer buffer = ByteBuffer.wrap(payload);
        decoder.setByteBuffer(buffer);
        List<byte[]> messages = new ArrayList<>();
        while (buffer.hasRemaining()) {
            if (decoder.readObject() instanceof Data data) {
                Binary binary = data.getValue();
                messages.add(Arrays.copyOfRange(binary.getArray(), binary.getArrayOffset(),
                        binary.getArrayOffset() + binary.getLength()));
            }
        }
        return messages;
    }

    /** The MessageId as the SDK shows it (always a string there), or null. */
    static String messageId(Message message) {
        Object id = message.getMessageId();
        return id == null ? null : String.valueOf(id);
    }

    /** The message's application properties (what a subscription's SQL filter reads without a scope); never null. */
    static Map<String, Object> applicationProperties(Message message) {
        ApplicationProperties properties = message.getApplicationProperties();
        if (properties == null || properties.getValue() == null) {
            return Map.of();
        }
        Map<String, Object> copy = new HashMap<>();
        properties.getValue().forEach((k, v) -> copy.put(String.valueOf(k), v));
        return copy;
    }

    /** Whether the sender asked Service Bus to hold the message until a time (setScheduledEnqueueTime). */
    static boolean isScheduled(Message message) {
        MessageAnnotations annotations = message.getMessageAnnotations();
        return annotations != null && annotations.getValue() != null
                && annotations.getValue().get(SCHEDULED_ENQUEUE_TIME) != null;
    }

    static Message decode(byte[] bytes) {
        Message message = Proton.message();
        message.decode(bytes, 0, bytes.length);
        return message;
    }

    static byte[] encode(Message message) {
        return encode(message, 1024);
    }

    /** Encodes into a buffer that grows until the message fits (proton-j's own size estimate can fall short). */
    static byte[] encode(Message message, int sizeHint) {
        for (int capacity = sizeHint; ; capacity *= 2) {
            byte[] buffer = new byte[capacity];
            try {
                return Arrays.copyOf(buffer, message.encode(buffer, 0, capacity));
            } catch (BufferOverflowException tooSmall) {
                // try again with twice the room
            }
        }
    }

    /**
     * The message as a receiver gets it: the sender's message with the broker's annotations, the delivery count
     * in the header and any property changes. {@code lockToken} is null for peeked and receive-and-delete messages.
     */
    static byte[] forDelivery(StoredMessage stored, UUID lockToken, Instant lockedUntil) {
        Message message = decode(stored.amqpBytes());

        Header header = message.getHeader() == null ? new Header() : message.getHeader();
        header.setDeliveryCount(UnsignedInteger.valueOf(stored.deliveryCount()));
        message.setHeader(header);

        Map<Symbol, Object> annotations = new HashMap<>();
        if (message.getMessageAnnotations() != null && message.getMessageAnnotations().getValue() != null) {
            annotations.putAll(message.getMessageAnnotations().getValue());
        }
        annotations.put(SEQUENCE_NUMBER, stored.sequenceNumber());
        annotations.put(ENQUEUED_TIME, Date.from(stored.enqueuedTime()));
        if (lockToken != null) {
            annotations.put(LOCK_TOKEN, lockToken);
            annotations.put(LOCKED_UNTIL, Date.from(lockedUntil));
        }
        message.setMessageAnnotations(new MessageAnnotations(annotations));

        if (!stored.propertyChanges().isEmpty()) {
            Map<String, Object> properties = new HashMap<>();
            if (message.getApplicationProperties() != null && message.getApplicationProperties().getValue() != null) {
                properties.putAll(message.getApplicationProperties().getValue());
            }
            properties.putAll(stored.propertyChanges());
            message.setApplicationProperties(new ApplicationProperties(properties));
        }
        return encode(message, stored.amqpBytes().length + 512);
    }
}
