package io.alertrelay.domain.schema;

import static io.alertrelay.domain.schema.Fields.at;
import static io.alertrelay.domain.schema.Fields.isObject;
import static io.alertrelay.domain.schema.Fields.text;
import static io.alertrelay.domain.schema.Fields.texts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.domain.Severity;
import io.alertrelay.domain.UtcTime;

/**
 * The common alert schema ({@code schemaId: azureMonitorCommonAlertSchema}), used by every monitoring service once
 * an action group enables it: {@code data.essentials} is the same for all of them, {@code data.alertContext}
 * depends on the service. Activity-log contexts (Administrative, Autoscale, ServiceHealth, Resource Health, …) and
 * Cost Management budget contexts add their details; other contexts (metric, log, Prometheus, smart detection)
 * add nothing beyond the essentials and stay in the payload.
 */
final class CommonSchema implements NotificationSchema {

    @Override
    public boolean recognises(ObjectNode body) {
        return "azureMonitorCommonAlertSchema".equalsIgnoreCase(text(body, "schemaId"))
                && isObject(body, "data", "essentials");
    }

    @Override
    public AlertDraft read(ObjectNode body) {
        JsonNode essentials = at(body, "data", "essentials");
        JsonNode context = at(body, "data", "alertContext");

        AlertDraft alert = new AlertDraft("common", body);
        alert.alertId = text(essentials, "alertId");
        alert.alertRule = text(essentials, "alertRule");
        alert.severity = Severity.of(at(essentials, "severity"));
        alert.condition = Conditions.of(text(essentials, "monitorCondition"));
        alert.monitoringService = text(essentials, "monitoringService");
        alert.signalType = signalType(text(essentials, "signalType"));
        alert.targetResourceIds = texts(at(essentials, "alertTargetIDs"));
        alert.description = text(essentials, "description");
        readTimes(alert, essentials);

        if (ActivityLogEvent.describes(context)) {
            new ActivityLogEvent(context).addDetailsTo(alert);
        }
        if (CostBudget.describes(context)) {
            CostBudget.addDetailsTo(alert, context);
        }
        return alert;
    }

    /**
     * Azure spells the activity-log signal both "Activity Log" and "ActivityLog" (the Service Health test sample);
     * the platform gets one spelling. Other values pass unchanged.
     */
    private static String signalType(String spelled) {
        return "activitylog".equalsIgnoreCase(spelled == null ? null : spelled.replace(" ", "")) ? "Activity Log" : spelled;
    }

    /** A Resolved notification happened when it resolved; it still carries when it fired. */
    private static void readTimes(AlertDraft alert, JsonNode essentials) {
        String fired = text(essentials, "firedDateTime");
        String resolved = text(essentials, "resolvedDateTime");
        alert.firedAt = UtcTime.normalise(fired);
        alert.resolvedAt = UtcTime.normalise(resolved);
        boolean isResolved = Conditions.RESOLVED.equals(alert.condition) && alert.resolvedAt != null;
        alert.time = UtcTime.parse(isResolved ? resolved : fired).orElse(null);
    }
}
