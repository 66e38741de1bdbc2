package io.alertrelay.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/** Maps a platform event to the bus message of DESIGN §6. */
public final class AlertMessages {

    public static final String CONTENT_TYPE = "application/cloudevents+json";

    private AlertMessages() {
    }

    public static AlertMessage of(PlatformEvent event, byte[] body, boolean claimChecked) {
        AlertData d = event.data();
        Map<String, String> props = new LinkedHashMap<>();
        props.put("tenant", event.tenant());
        putIfPresent(props, "severity", d.severity());
        putIfPresent(props, "condition", d.condition());
        putIfPresent(props, "monitoringService", d.monitoringService());
        putIfPresent(props, "schema", d.schema());
        if (claimChecked) {
            props.put(ClaimCheck.PROPERTY, "true");
        }
        return new AlertMessage(event.id(), event.type().value(), CONTENT_TYPE, body, props);
    }

    private static void putIfPresent(Map<String, String> props, String name, String value) {
        if (value != null) {
            props.put(name, value);
        }
    }
}
