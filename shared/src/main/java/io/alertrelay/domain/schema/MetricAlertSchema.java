package io.alertrelay.domain.schema;

import static io.alertrelay.domain.schema.Fields.at;
import static io.alertrelay.domain.schema.Fields.isObject;
import static io.alertrelay.domain.schema.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.domain.Severity;
import java.util.List;

/**
 * A metric alert without the common schema ({@code schemaId: AzureMonitorMetricAlert}, static and dynamic
 * thresholds alike): {@code data.status} Activated/Resolved and the alert in {@code data.context}. Azure gives no
 * alert-instance id here; {@code context.id} is the rule's resource id, so that is the alert id.
 */
final class MetricAlertSchema implements NotificationSchema {

    @Override
    public boolean recognises(ObjectNode body) {
        return "AzureMonitorMetricAlert".equalsIgnoreCase(text(body, "schemaId")) && isObject(body, "data", "context");
    }

    @Override
    public AlertDraft read(ObjectNode body) {
        JsonNode data = at(body, "data");
        AlertDraft alert = new AlertDraft("metric", body);
        readMetricContext(alert, text(data, "status"), at(data, "context"));
        alert.severity = Severity.of(at(data, "context", "severity"));
        alert.signalType = "Metric";
        return alert;
    }

    /**
     * The context both metric shapes share (this one and the classic one): rule id and name, the one target
     * resource, and {@code timestamp} — when it fired or, for a Resolved notification, when it resolved.
     */
    static void readMetricContext(AlertDraft alert, String status, JsonNode context) {
        alert.alertId = text(context, "id");
        alert.alertRule = text(context, "name");
        alert.condition = Conditions.of(status);
        alert.monitoringService = "Platform";
        String resourceId = text(context, "resourceId");
        alert.targetResourceIds = resourceId == null ? List.of() : List.of(resourceId);
        alert.description = text(context, "description");
        alert.happenedAt(text(context, "timestamp"));
    }
}
