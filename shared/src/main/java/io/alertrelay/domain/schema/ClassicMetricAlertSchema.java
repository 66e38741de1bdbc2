package io.alertrelay.domain.schema;

import static io.alertrelay.domain.schema.Fields.at;
import static io.alertrelay.domain.schema.Fields.text;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A classic (retired, but still documented) metric alert: no {@code schemaId}, {@code status} Activated/Resolved at
 * the top and {@code context.conditionType} (Metric or Event). Classic alerts have no severity.
 */
final class ClassicMetricAlertSchema implements NotificationSchema {

    @Override
    public boolean recognises(ObjectNode body) {
        return text(body, "schemaId") == null
                && text(body, "status") != null
                && text(body, "context", "conditionType") != null;
    }

    @Override
    public AlertDraft read(ObjectNode body) {
        AlertDraft alert = new AlertDraft("classic-metric", body);
        MetricAlertSchema.readMetricContext(alert, text(body, "status"), at(body, "context"));
        alert.signalType = text(body, "context", "conditionType");
        return alert;
    }
}
