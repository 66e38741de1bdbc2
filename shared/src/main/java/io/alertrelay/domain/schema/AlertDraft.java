package io.alertrelay.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.domain.AlertData;
import io.alertrelay.domain.EventType;
import io.alertrelay.domain.UtcTime;
import java.time.Instant;
import java.util.List;

/**
 * The fields a schema reader fills in, one by one, before they become an immutable {@link AlertData}. Unset fields
 * stay null, which is what the platform event shows for "the source does not say".
 */
final class AlertDraft {

    final String schema;
    final JsonNode payload;

    String alertId;
    String alertRule;
    String severity;
    String condition = Conditions.FIRED;
    String monitoringService;
    String signalType;
    List<String> targetResourceIds = List.of();
    String firedAt;
    String resolvedAt;
    String description;
    AlertData.Deployment deployment;
    AlertData.Scale scale;
    AlertData.Health health;
    AlertData.Budget budget;

    /** When it happened according to the source (becomes CloudEvents {@code time}); null if the source has none. */
    Instant time;

    AlertDraft(String schema, JsonNode payload) {
        this.schema = schema;
        this.payload = payload;
    }

    /**
     * Records the moment the source gives for the firing or the resolution: it sets {@code firedAt} or
     * {@code resolvedAt} according to the condition and makes it the event time.
     */
    void happenedAt(String sourceTime) {
        Instant instant = UtcTime.parse(sourceTime).orElse(null);
        if (Conditions.RESOLVED.equals(condition)) {
            resolvedAt = UtcTime.format(instant);
        } else {
            firedAt = UtcTime.format(instant);
        }
        time = instant;
    }

    /** A deployment or a scale operation is its own kind of event; otherwise the condition decides. */
    EventType type() {
        if (deployment != null) {
            return EventType.DEPLOYMENT_STATUS;
        }
        if (scale != null) {
            return EventType.AUTOSCALE_SCALED;
        }
        return Conditions.RESOLVED.equals(condition) ? EventType.ALERT_RESOLVED : EventType.ALERT_FIRED;
    }

    ParsedNotification toParsed() {
        AlertData data = new AlertData(schema, alertId, alertRule, severity, condition, monitoringService, signalType,
                targetResourceIds, firedAt, resolvedAt, description, deployment, scale, health, budget, payload);
        return new ParsedNotification(type(), time, data);
    }
}
