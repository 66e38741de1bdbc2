package io.alertrelay.domain.schema;

import static io.alertrelay.domain.schema.Fields.at;
import static io.alertrelay.domain.schema.Fields.integer;
import static io.alertrelay.domain.schema.Fields.isObject;
import static io.alertrelay.domain.schema.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.domain.AlertData;
import java.util.List;
import java.util.Locale;

/**
 * An autoscale setting's own webhook notification: no schemaId, {@code operation} "Scale Out" or "Scale In", and
 * the capacities in {@code context.oldCapacity}/{@code newCapacity} (strings in the published sample). The setting
 * ({@code context.id}) is the alert id and the rule; the scaled resource ({@code context.resourceId}) the target.
 */
final class AutoscaleSchema implements NotificationSchema {

    @Override
    public boolean recognises(ObjectNode body) {
        return text(body, "schemaId") == null
                && isObject(body, "context")
                && (direction(text(body, "operation")) != null
                    || at(body, "context").has("oldCapacity")
                    || at(body, "context").has("newCapacity"));
    }

    @Override
    public AlertDraft read(ObjectNode body) {
        JsonNode context = at(body, "context");
        Integer oldCapacity = integer(context, "oldCapacity");
        Integer newCapacity = integer(context, "newCapacity");
        String direction = direction(text(body, "operation"));
        if (direction == null && oldCapacity != null && newCapacity != null) {
            direction = newCapacity > oldCapacity ? "out" : "in";
        }

        AlertDraft alert = new AlertDraft("autoscale", body);
        alert.alertId = text(context, "id");
        alert.alertRule = text(context, "name");
        alert.condition = Conditions.of(text(body, "status"));
        alert.monitoringService = "Autoscale";
        String resourceId = text(context, "resourceId");
        alert.targetResourceIds = resourceId == null ? List.of() : List.of(resourceId);
        alert.description = text(context, "details");
        alert.happenedAt(text(context, "timestamp"));
        alert.scale = new AlertData.Scale(direction, oldCapacity, newCapacity, text(context, "id"), resourceId);
        return alert;
    }

    /** "Scale Out" → out, "Scale In" → in (any case and spacing); null for anything else. */
    private static String direction(String operation) {
        if (operation == null) {
            return null;
        }
        return switch (operation.replace(" ", "").toLowerCase(Locale.ROOT)) {
            case "scaleout" -> "out";
            case "scalein" -> "in";
            default -> null;
        };
    }
}
