package io.alertrelay.domain.schema;

import static io.alertrelay.domain.schema.Fields.at;
import static io.alertrelay.domain.schema.Fields.isObject;
import static io.alertrelay.domain.schema.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.domain.Severity;
import java.util.List;

/**
 * A log search alert without the common schema, in its two published shapes: Application Insights / Log Analytics
 * up to API version 2018-04-16 ({@code schemaId: Microsoft.Insights/LogAlert}, fields under {@code data}), and the
 * v1 Log Analytics shape with the same fields at the top level and no schemaId. Log alerts here are stateless (no
 * Resolved) and carry no alert id, so identity falls back to the whole notification.
 */
final class LogAlertSchema implements NotificationSchema {

    @Override
    public boolean recognises(ObjectNode body) {
        String schemaId = text(body, "schemaId");
        if (schemaId != null) {
            return "Microsoft.Insights/LogAlert".equalsIgnoreCase(schemaId) && isObject(body, "data");
        }
        return text(body, "AlertRuleName") != null && text(body, "SearchQuery") != null;
    }

    @Override
    public AlertDraft read(ObjectNode body) {
        JsonNode log = text(body, "schemaId") != null ? at(body, "data") : body;

        AlertDraft alert = new AlertDraft("log", body);
        alert.alertRule = text(log, "AlertRuleName");
        alert.severity = Severity.of(at(log, "Severity"));
        alert.monitoringService = text(log, "ApplicationId") != null ? "Application Insights" : "Log Analytics";
        alert.signalType = "Log";
        String resourceId = text(log, "ResourceId");
        alert.targetResourceIds = resourceId == null ? List.of() : List.of(resourceId);
        alert.description = text(log, "Description");
        // the end of the searched interval is when the rule evaluated, i.e. when it fired
        alert.happenedAt(text(log, "SearchIntervalEndtimeUtc"));
        return alert;
    }
}
