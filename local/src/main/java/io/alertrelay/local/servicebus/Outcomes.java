package io.alertrelay.local.servicebus;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.Modified;
import org.apache.qpid.proton.amqp.messaging.Rejected;
import org.apache.qpid.proton.amqp.messaging.Released;
import org.apache.qpid.proton.amqp.transport.DeliveryState;

/** Reads the outcome the SDK puts on a delivery as the Service Bus operation it stands for. */
final class Outcomes {
    private Outcomes() {
    }

    /**
     * complete = accepted, abandon = modified, dead-letter = rejected (reason and description in the error info),
     * released = released. Empty for what the emulator does not do: defer (modified with undeliverable-here) and
     * transactional states.
     */
    static Optional<Disposition> toDisposition(DeliveryState state) {
        if (state == null || state instanceof Released) {
            return Optional.of(Disposition.of(Disposition.Kind.RELEASE));
        }
        if (state instanceof Accepted) {
            return Optional.of(Disposition.of(Disposition.Kind.COMPLETE));
        }
        if (state instanceof Modified modified) {
            if (Boolean.TRUE.equals(modified.getUndeliverableHere())) {
                return Optional.empty();
            }
            return Optional.of(new Disposition(Disposition.Kind.ABANDON, null, null,
                    stringKeys(modified.getMessageAnnotations())));
        }
        if (state instanceof Rejected rejected) {
            Map<String, Object> info = rejected.getError() == null ? Map.of()
                    : stringKeys(rejected.getError().getInfo());
            Map<String, Object> properties = new HashMap<>(info);
            Object reason = properties.remove(MessageQueue.DEAD_LETTER_REASON);
            Object description = properties.remove(MessageQueue.DEAD_LETTER_DESCRIPTION);
            return Optional.of(new Disposition(Disposition.Kind.DEAD_LETTER, asString(reason), asString(description),
                    properties));
        }
        return Optional.empty();
    }

    static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> result = new HashMap<>();
        if (map != null) {
            map.forEach((key, value) -> result.put(String.valueOf(key), value));
        }
        return result;
    }

    private static String asString(Object value) {
        return value == null ? null : value.toString();
    }
}
