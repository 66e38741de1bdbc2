package io.alertrelay.domain;

import java.util.Map;
import java.util.Objects;

/**
 * What goes on the bus for one event (DESIGN §6): the body is the platform event as UTF-8 JSON.
 *
 * @param messageId   the event id; the broker's duplicate detection keys on it
 * @param subject     the event type
 * @param contentType application/cloudevents+json
 * @param properties  tenant, lane, severity, condition, monitoringService, schema (null values are left out)
 */
public record AlertMessage(String messageId, String subject, String contentType, byte[] body,
                           Map<String, String> properties) {

    public AlertMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(body, "body");
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }
}
