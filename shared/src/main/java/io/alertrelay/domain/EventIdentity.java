package io.alertrelay.domain;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The deterministic identity of platform events (DESIGN §4).
 *
 * <p>An event id is {@code <tenant>.<64 lowercase hex digits of SHA-256>} over an identity key that starts with the
 * tenant, so different tenants never collide. It is at most 63 + 1 + 64 = 128 characters of {@code [a-z0-9.-]}:
 * URL-safe, and valid as Service Bus MessageId, Cosmos DB id and Idempotency-Key. The key is:
 * <ul>
 *   <li>when the source names the alert and says when it happened: (tenant, alert id, condition, time) — so the same
 *       notification through two action groups (whose custom properties may differ) or retried by Azure gives one
 *       id, and the Fired and the Resolved of one alert give two;</li>
 *   <li>otherwise the whole notification in canonical form (object keys sorted, no whitespace) — so a copy that
 *       differs only in key order or formatting gives the same id, and any real difference another one.</li>
 * </ul>
 * The key is hashed from a canonical JSON array, which keeps its parts unambiguous (no separator can be forged by
 * an alert id) and the id stable across JVMs and releases. Changing this algorithm changes every id: duplicates in
 * flight during a deployment would then be delivered twice.
 */
public final class EventIdentity {

    private static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private EventIdentity() {
    }

    /**
     * The event id of a normalised notification.
     *
     * @param sourceTime when the source says it happened; null when it does not say (the time of receipt must never
     *                   be part of an identity: a retry arrives later)
     */
    public static String eventId(String tenant, AlertData data, Instant sourceTime) {
        requireTenant(tenant);
        ArrayNode key = Json.MAPPER.createArrayNode();
        if (data.alertId() != null && sourceTime != null) {
            key.add("alert-event").add(tenant).add(data.alertId()).add(data.condition()).add(UtcTime.format(sourceTime));
        } else {
            key.add("notification").add(tenant).add(data.payload());
        }
        return tenant + "." + sha256Hex(canonical(key));
    }

    /**
     * The identity of the alert instance an event belongs to, shared by its Fired and its Resolved (DESIGN §4: a
     * Fired that arrives after its Resolved is superseded). Same format as an event id. An event without an alert
     * id is an instance of its own: its key is its event id.
     *
     * <p>Where Azure gives no instance id (legacy and classic metric alerts name only the rule), every firing of a
     * rule shares one key, so whoever decides supersession must also compare times.
     */
    public static String alertKey(PlatformEvent event) {
        String alertId = event.data().alertId();
        if (alertId == null) {
            return event.id();
        }
        ArrayNode key = Json.MAPPER.createArrayNode().add("alert-instance").add(event.tenant()).add(alertId);
        return event.tenant() + "." + sha256Hex(canonical(key));
    }

    /** Tenants are validated at the door; a bad one here is a caller's bug, and would make ids unsafe. */
    public static void requireTenant(String tenant) {
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException("tenant must match " + TENANT.pattern() + ": " + tenant);
        }
    }

    /** Compact JSON with every object's keys sorted, so equal content gives equal bytes. */
    static byte[] canonical(JsonNode node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator generator = Json.MAPPER.getFactory().createGenerator(out)) {
            writeCanonical(generator, node);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory does no I/O
        }
        return out.toByteArray();
    }

    private static void writeCanonical(JsonGenerator generator, JsonNode node) throws IOException {
        if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            node.fields().forEachRemaining(fields::add);
            fields.sort(Map.Entry.comparingByKey());
            generator.writeStartObject();
            for (Map.Entry<String, JsonNode> field : fields) {
                generator.writeFieldName(field.getKey());
                writeCanonical(generator, field.getValue());
            }
            generator.writeEndObject();
        } else if (node.isArray()) {
            generator.writeStartArray();
            for (JsonNode item : node) {
                writeCanonical(generator, item);
            }
            generator.writeEndArray();
        } else {
            generator.writeTree(node);
        }
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-256", e);
        }
    }
}
