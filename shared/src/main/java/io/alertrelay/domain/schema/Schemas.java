package io.alertrelay.domain.schema;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.domain.InvalidNotificationException;
import java.util.List;

/** Finds the schema of a notification and reads it. */
public final class Schemas {

    /** Most specific first; the shapes without a schemaId are told apart by their own fields. */
    static final List<NotificationSchema> KNOWN = List.of(
            new CommonSchema(),
            new MetricAlertSchema(),
            new LogAlertSchema(),
            new ActivityLogSchema(),
            new BudgetSchema(),
            new AutoscaleSchema(),
            new ClassicMetricAlertSchema());

    private static final NotificationSchema CUSTOM = new CustomSchema();

    private Schemas() {
    }

    /** Reads a notification into its normalised form; a body of no known shape is read as {@code custom}. */
    public static ParsedNotification read(ObjectNode body) {
        NotificationSchema schema = KNOWN.stream().filter(s -> s.recognises(body)).findFirst().orElse(CUSTOM);
        try {
            return schema.read(body).toParsed();
        } catch (InvalidNotificationException refused) {
            throw refused; // a limit, which holds whatever the shape
        } catch (RuntimeException unexpected) {
            // The readers are written not to throw; should one still fail on a shape nobody foresaw, the alert
            // must reach the platform anyway: as custom, with its payload, rather than not at all.
            return CUSTOM.read(body).toParsed();
        }
    }
}
