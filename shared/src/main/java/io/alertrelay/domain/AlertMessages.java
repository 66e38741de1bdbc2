package io.alertrelay.domain;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Maps a platform event to the bus message of DESIGN §6. */
public final class AlertMessages {

    public static final String CONTENT_TYPE = "application/cloudevents+json";
    /** The longest application property value; the event in the body keeps the whole value. */
    public static final int MAX_PROPERTY_CHARS = 256;

    private AlertMessages() {
    }

    /** The message of an event in the standard lane. */
    public static AlertMessage of(PlatformEvent event, byte[] body, boolean claimChecked) {
        return of(event, body, claimChecked, Lane.STANDARD);
    }

    /** The message of an event in {@code lane}: the property {@value Lane#PROPERTY} is always set. */
    public static AlertMessage of(PlatformEvent event, byte[] body, boolean claimChecked, Lane lane) {
        AlertData d = event.data();
        Map<String, String> props = new LinkedHashMap<>();
        props.put("tenant", event.tenant());
        props.put(Lane.PROPERTY, lane.value());
        putIfPresent(props, "severity", d.severity());
        putIfPresent(props, "condition", d.condition());
        putIfPresent(props, "monitoringService", d.monitoringService());
        putIfPresent(props, "schema", d.schema());
        if (claimChecked) {
            props.put(ClaimCheck.PROPERTY, "true");
        }
        return new AlertMessage(event.id(), event.type().value(), CONTENT_TYPE, body, props);
    }

    /**
     * What the message weighs against {@code MAX_MESSAGE_BYTES}: its body and every header we set (id, subject,
     * content type, application properties), in UTF-8: Service Bus counts the properties too. AMQP's own framing
     * is what the limit's margin under the tier's 256 KiB is for.
     */
    public static long size(AlertMessage message) {
        long size = message.body().length + utf8(message.messageId()) + utf8(message.subject())
                + utf8(message.contentType());
        for (Map.Entry<String, String> p : message.properties().entrySet()) {
            size += utf8(p.getKey()) + utf8(p.getValue());
        }
        return size;
    }

    /**
     * The normalised field that weighs most in the event's message once its payload is a claim-check reference: the
     * field to name when even that message is too large. {@code targetResourceIds} includes the CloudEvents
     * {@code subject} made from it.
     */
    public static Map.Entry<String, Long> largestField(PlatformEvent event) {
        AlertData d = event.data();
        Map<String, Long> sizes = new LinkedHashMap<>();
        sizes.put("schema", json(d.schema()));
        sizes.put("alertId", json(d.alertId()));
        sizes.put("alertRule", json(d.alertRule()));
        sizes.put("severity", json(d.severity()));
        sizes.put("condition", json(d.condition()));
        sizes.put("monitoringService", json(d.monitoringService()));
        sizes.put("signalType", json(d.signalType()));
        sizes.put("targetResourceIds", json(d.targetResourceIds()) + json(event.subject()));
        sizes.put("firedAt", json(d.firedAt()));
        sizes.put("resolvedAt", json(d.resolvedAt()));
        sizes.put("description", json(d.description()));
        sizes.put("deployment", json(d.deployment()));
        sizes.put("scale", json(d.scale()));
        sizes.put("health", json(d.health()));
        sizes.put("budget", json(d.budget()));
        return sizes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
    }

    private static long json(Object value) {
        return value == null ? 4 : Json.writeBytes(value).length;
    }

    private static long utf8(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static void putIfPresent(Map<String, String> props, String name, String value) {
        if (value != null) {
            props.put(name, propertyValue(value));
        }
    }

    /**
     * An application property's value: at most {@value #MAX_PROPERTY_CHARS} characters, and valid Unicode (an
     * unpaired surrogate becomes U+FFFD). Properties are for routing and filtering; the body carries every value
     * exactly. A raw value could make the message unsendable: AMQP encodes strings as UTF-8, and the Service Bus SDK
     * refuses a lone surrogate ("String contains invalid Unicode code points") on every retry; and a long one would
     * count twice against the message size, and against Service Bus's smaller cap on headers.
     */
    static String propertyValue(String value) {
        StringBuilder out = null;
        int n = Math.min(value.length(), MAX_PROPERTY_CHARS);
        if (n > 0 && n < value.length() && Character.isHighSurrogate(value.charAt(n - 1))
                && Character.isLowSurrogate(value.charAt(n))) {
            n--; // never cut a pair in two
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            boolean paired = Character.isHighSurrogate(c) ? i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))
                    : !Character.isLowSurrogate(c) || i > 0 && Character.isHighSurrogate(value.charAt(i - 1));
            if (!paired && out == null) {
                out = new StringBuilder(n).append(value, 0, i);
            }
            if (out != null) {
                out.append(paired ? c : '\uFFFD');
            }
        }
        return out != null ? out.toString() : n == value.length() ? value : value.substring(0, n);
    }
}
