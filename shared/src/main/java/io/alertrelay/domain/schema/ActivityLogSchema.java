package io.alertrelay.domain.schema;

import static io.alertrelay.domain.schema.Fields.at;
import static io.alertrelay.domain.schema.Fields.isObject;
import static io.alertrelay.domain.schema.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * An activity-log alert without the common schema ({@code schemaId: Microsoft.Insights/activityLogs}): the event
 * is in {@code data.context.activityLog}. There is no alert id and no rule name; the event's {@code eventDataId}
 * identifies it uniquely, so it serves as the alert id (two action groups then give one event, whatever custom
 * properties each adds in {@code data.properties}).
 */
final class ActivityLogSchema implements NotificationSchema {

    @Override
    public boolean recognises(ObjectNode body) {
        return "Microsoft.Insights/activityLogs".equalsIgnoreCase(text(body, "schemaId"))
                && isObject(body, "data", "context", "activityLog");
    }

    @Override
    public AlertDraft read(ObjectNode body) {
        JsonNode data = at(body, "data");
        ActivityLogEvent event = new ActivityLogEvent(at(data, "context", "activityLog"));

        AlertDraft alert = new AlertDraft("activity-log", body);
        alert.alertId = event.eventDataId();
        alert.condition = Conditions.of(text(data, "status"));
        alert.severity = event.levelAsSeverity();
        // named like the common schema's monitoringService for the same alert, e.g. "Activity Log - Administrative"
        String source = event.eventSourceName();
        alert.monitoringService = source == null ? "Activity Log" : "Activity Log - " + source;
        alert.signalType = "Activity Log";
        String resourceId = event.resourceId();
        alert.targetResourceIds = resourceId == null ? List.of() : List.of(resourceId);
        alert.description = event.description();
        alert.happenedAt(event.eventTimestamp());
        event.addDetailsTo(alert);
        return alert;
    }
}
