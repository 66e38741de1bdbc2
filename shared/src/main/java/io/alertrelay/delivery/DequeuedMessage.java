package io.alertrelay.delivery;

import io.alertrelay.domain.ClaimCheck;
import io.alertrelay.replay.Replay;
import java.util.Map;
import java.util.Optional;

/**
 * One message as the Service Bus trigger binds it.
 *
 * @param deliveryCount 1 on the first delivery; the broker dead-letters after MAX_DELIVERY_COUNT
 * @param properties    the message's application properties (the host's ApplicationProperties metadata)
 */
public record DequeuedMessage(byte[] body, String messageId, int deliveryCount, Map<String, Object> properties) {

    public DequeuedMessage {
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    public DequeuedMessage(byte[] body, String messageId, int deliveryCount) {
        this(body, messageId, deliveryCount, Map.of());
    }

    /**
     * True when the webhook claim-checked this event: only then is a {@code $claimCheck} reference in its payload
     * ours to follow. Anyone may post a body holding such a key; only the webhook sets the message property.
     */
    public boolean claimChecked() {
        return "true".equals(String.valueOf(properties.get(ClaimCheck.PROPERTY)));
    }

    /** The replay request this message was published by (DESIGN §13), if it was. */
    public Optional<String> replayId() {
        Object id = properties.get(Replay.REPLAY_PROPERTY);
        return id == null ? Optional.empty() : Optional.of(String.valueOf(id));
    }
}
