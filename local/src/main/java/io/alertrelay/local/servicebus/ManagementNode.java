package io.alertrelay.local.servicebus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.message.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The $management node of a subscription or dead-letter queue: renew-lock (auto lock renewal and
 * renewMessageLock), update-disposition (settling a message whose receive link is gone) and peek-message. Every
 * other operation (sessions, scheduling, deferral, rules) is answered 501 amqp:not-implemented.
 */
final class ManagementNode implements RequestHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ManagementNode.class);
    static final String RENEW_LOCK = "com.microsoft:renew-lock";
    static final String UPDATE_DISPOSITION = "com.microsoft:update-disposition";
    static final String PEEK_MESSAGE = "com.microsoft:peek-message";

    private final String address;
    /** Null for a topic's node: a sender's management operations (scheduling) are not emulated. */
    private final MessageQueue queue;
    private final Namespace namespace;

    ManagementNode(String address, MessageQueue queue, Namespace namespace) {
        this.address = address;
        this.queue = queue;
        this.namespace = namespace;
    }

    @Override
    public Message handle(Message request) {
        String operation = RequestHandler.operation(request);
        LOG.debug("{} on {}", operation, address);
        Map<?, ?> body = request.getBody() instanceof AmqpValue value && value.getValue() instanceof Map<?, ?> map
                ? map : Map.of();
        if (queue == null) {
            return RequestHandler.notImplemented(operation, address);
        }
        try {
            return switch (operation) {
                case RENEW_LOCK -> renewLock(lockTokens(body));
                case UPDATE_DISPOSITION -> updateDisposition(lockTokens(body), body);
                case PEEK_MESSAGE -> peek(((Number) body.get("from-sequence-number")).longValue(),
                        ((Number) body.get("message-count")).intValue());
                default -> RequestHandler.notImplemented(operation, address);
            };
        } catch (RuntimeException malformed) {
            return RequestHandler.failure(400, ServiceBusErrors.DECODE_ERROR,
                    "Malformed " + operation + " request: " + malformed);
        }
    }

    private Message renewLock(List<UUID> lockTokens) {
        Instant now = namespace.now();
        Date[] expirations = new Date[lockTokens.size()]; // the SDK expects exactly a Date[]
        for (int i = 0; i < lockTokens.size(); i++) {
            Optional<Instant> lockedUntil = queue.renewLock(lockTokens.get(i), now);
            if (lockedUntil.isEmpty()) {
                return lockLost();
            }
            expirations[i] = Date.from(lockedUntil.get());
        }
        return RequestHandler.ok(Map.of("expirations", expirations));
    }

    private Message updateDisposition(List<UUID> lockTokens, Map<?, ?> body) {
        Optional<Disposition> disposition = disposition(body);
        if (disposition.isEmpty()) {
            return RequestHandler.notImplemented(UPDATE_DISPOSITION + " to '" + body.get("disposition-status") + "'",
                    address);
        }
        Instant now = namespace.now();
        for (UUID lockToken : lockTokens) {
            if (!queue.settle(lockToken, disposition.get(), now)) {
                return lockLost();
            }
        }
        return RequestHandler.ok(null);
    }

    private static Optional<Disposition> disposition(Map<?, ?> body) {
        Map<String, Object> properties = Outcomes.stringKeys((Map<?, ?>) body.get("properties-to-modify"));
        Object reason = body.get("deadletter-reason");
        Object description = body.get("deadletter-description");
        Disposition.Kind kind = switch (String.valueOf(body.get("disposition-status"))) {
            case "completed" -> Disposition.Kind.COMPLETE;
            case "abandoned" -> Disposition.Kind.ABANDON;
            case "released" -> Disposition.Kind.RELEASE;
            case "suspended" -> Disposition.Kind.DEAD_LETTER;
            default -> null; // "defered": deferral is not emulated
        };
        return Optional.ofNullable(kind).map(k -> new Disposition(k, reason == null ? null : reason.toString(),
                description == null ? null : description.toString(), properties));
    }

    /** 204 when there is nothing to peek, as Service Bus answers; the SDK reads it as an empty page. */
    private Message peek(long fromSequenceNumber, int maxMessages) {
        List<StoredMessage> messages = queue.peek(fromSequenceNumber, maxMessages);
        if (messages.isEmpty()) {
            return RequestHandler.response(204, "No messages to peek.", null, null);
        }
        List<Map<String, Object>> entries = new ArrayList<>();
        for (StoredMessage message : messages) {
            entries.add(Map.of("message", new Binary(WireFormat.forDelivery(message, null, null))));
        }
        return RequestHandler.ok(Map.of("messages", entries));
    }

    private static Message lockLost() {
        return RequestHandler.failure(410, ServiceBusErrors.MESSAGE_LOCK_LOST, ServiceBusErrors.lockLost()
                .getError().getDescription());
    }

    private static List<UUID> lockTokens(Map<?, ?> body) {
        Object tokens = body.get("lock-tokens");
        List<?> list = tokens instanceof Object[] array ? Arrays.asList(array) : (List<?>) tokens;
        return list.stream().map(token -> token instanceof UUID uuid ? uuid : UUID.fromString(token.toString()))
                .toList();
    }
}
