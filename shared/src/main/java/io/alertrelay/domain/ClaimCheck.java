package io.alertrelay.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * Claim-check (DESIGN §6): when a notification is too large for a message, the original payload is stored under the
 * event id and the message's {@code data.payload} is replaced by a reference that the dequeuer resolves before
 * delivery, so the platform still receives the payload whole.
 */
public final class ClaimCheck {

    /** Application property set on a claim-checked message. */
    public static final String PROPERTY = "claimCheck";
    private static final String FIELD = "$claimCheck";

    private ClaimCheck() {
    }

    /** The event with its payload replaced by a reference to the stored original. */
    public static PlatformEvent withReference(PlatformEvent event) {
        ObjectNode ref = JsonNodeFactory.instance.objectNode();
        ref.putObject(FIELD).put("tenant", event.tenant()).put("eventId", event.id());
        return withPayload(event, ref);
    }

    /** The event id a payload refers to, when the payload is a claim-check reference. */
    public static Optional<String> referencedEventId(JsonNode payload) {
        if (payload != null && payload.isObject() && payload.size() == 1 && payload.path(FIELD).isObject()) {
            return Optional.ofNullable(payload.path(FIELD).path("eventId").textValue());
        }
        return Optional.empty();
    }

    public static PlatformEvent withPayload(PlatformEvent event, JsonNode payload) {
        AlertData d = event.data();
        AlertData data = new AlertData(d.schema(), d.alertId(), d.alertRule(), d.severity(), d.condition(),
                d.monitoringService(), d.signalType(), d.targetResourceIds(), d.firedAt(), d.resolvedAt(),
                d.description(), d.deployment(), d.scale(), d.health(), d.budget(), payload);
        return new PlatformEvent(event.id(), event.type(), event.tenant(), event.time(), event.subject(), data);
    }
}
