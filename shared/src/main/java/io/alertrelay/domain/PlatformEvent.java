package io.alertrelay.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * The event the platform endpoint receives (DESIGN §3): a CloudEvents 1.0 envelope around {@link AlertData}.
 * Immutable; serialised by {@link PlatformEventCodec}.
 *
 * @param id      deterministic event id (DESIGN §4), also the Service Bus MessageId, Cosmos id and Idempotency-Key
 * @param type    one of {@link EventType}
 * @param tenant  the tenant the notification was posted for
 * @param time    when Azure says the event happened (UTC)
 * @param subject the first target resource id, lower-cased, or null when there is none
 * @param data    the normalised alert with the original payload
 */
public record PlatformEvent(String id, EventType type, String tenant, Instant time, String subject, AlertData data) {

    public PlatformEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(data, "data");
    }

    /** CloudEvents {@code source}: {@code /tenants/<tenant>/azure-monitor}. */
    public String source() {
        return "/tenants/" + tenant + "/azure-monitor";
    }
}
