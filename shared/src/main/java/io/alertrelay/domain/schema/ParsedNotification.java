package io.alertrelay.domain.schema;

import io.alertrelay.domain.AlertData;
import io.alertrelay.domain.EventType;
import java.time.Instant;
import java.util.Objects;

/**
 * What one notification says, before it gets an identity.
 *
 * @param type       the CloudEvents type it maps to
 * @param sourceTime when the source says it happened; null when the notification carries no time at all (legacy
 *                   budget, custom) — the caller then uses the time of receipt, which cannot be part of an identity
 * @param data       the normalised data, with the original notification as payload
 */
public record ParsedNotification(EventType type, Instant sourceTime, AlertData data) {

    public ParsedNotification {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
    }
}
