package io.alertrelay.adapter.cosmos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.domain.Json;
import io.alertrelay.domain.StoredAlert;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The JSON documents of the Cosmos container (DESIGN §7), all in the tenant's partition ({@code /tenant}) and told
 * apart by {@code docType}:
 *
 * <pre>
 * alert    { id: eventId, tenant, docType: "alert", type, alertKey, condition, status: "received"|…,
 *            attempts, createdAt, updatedAt, deliveredAt, lastError: {status, message} | null,
 *            event: "&lt;the platform event as JSON text&gt;", ttl? }
 * instance { id: "instance." + hex(sha256(alertKey)), tenant, docType: "instance", alertKey,
 *            resolvedEventId, resolvedAt, ttl? }
 * payload  { id: "payload." + eventId, tenant, docType: "payload", eventId, payloadBase64, size, ttl? }
 * </pre>
 *
 * Times are ISO-8601 UTC strings; absent values are JSON null; {@code ttl} (seconds) is written only when a TTL is
 * configured. The system properties Cosmos adds ({@code _etag}, {@code _ts}, …) are ignored when reading: the
 * ETag is taken from the response.
 */
final class AlertDocuments {

    static final String ALERT = "alert";
    static final String INSTANCE = "instance";
    static final String PAYLOAD = "payload";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private AlertDocuments() {
    }

    static ObjectNode alertDocument(StoredAlert a, Integer ttlSeconds) {
        ObjectNode d = JSON.objectNode();
        d.put("id", a.id());
        d.put("tenant", a.tenant());
        d.put("docType", ALERT);
        d.put("type", a.type());
        d.put("alertKey", a.alertKey());
        d.put("condition", a.condition());
        d.put("status", a.status().value());
        d.put("attempts", a.attempts());
        d.put("createdAt", time(a.createdAt()));
        d.put("updatedAt", time(a.updatedAt()));
        d.put("deliveredAt", time(a.deliveredAt()));
        if (a.lastError() == null) {
            d.putNull("lastError");
        } else {
            ObjectNode e = d.putObject("lastError");
            e.put("status", a.lastError().status());
            e.put("message", a.lastError().message());
        }
        // The event as JSON text, not as a nested object: Cosmos DB keeps numbers as doubles, so 7.50 would come back
        // as 7.5 and a 20-digit number would lose digits; the platform and a replay must see what Azure sent.
        if (a.event() == null) {
            d.putNull("event");
        } else {
            d.put("event", Json.write(a.event()));
        }
        putTtl(d, ttlSeconds);
        return d;
    }

    /** True for an alert document, and for one written before {@code docType} existed. */
    static boolean isAlert(JsonNode doc) {
        JsonNode type = doc.get("docType");
        return type == null || type.isNull() || ALERT.equals(type.asText());
    }

    static StoredAlert storedAlert(JsonNode d, String etag) {
        JsonNode e = d.get("lastError");
        StoredAlert.LastError lastError = e == null || e.isNull() ? null
                : new StoredAlert.LastError(e.hasNonNull("status") ? e.get("status").asInt() : null, text(e, "message"));
        JsonNode event = d.get("event");
        return new StoredAlert(text(d, "id"), text(d, "tenant"), text(d, "type"), text(d, "alertKey"),
                text(d, "condition"), DeliveryStatus.fromValue(text(d, "status")), d.path("attempts").asInt(0),
                instant(d, "createdAt"), instant(d, "updatedAt"), instant(d, "deliveredAt"), lastError,
                event == null || event.isNull() ? null : event.isTextual() ? Json.readTree(event.asText()) : event, etag);
    }

    /** Cosmos ids may not hold '/', '\', '?' or '#', which an alert key may: the id is a hash of the key. */
    static String instanceId(String alertKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(alertKey.getBytes(StandardCharsets.UTF_8));
            return "instance." + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static ObjectNode instanceDocument(String tenant, String alertKey, String resolvedEventId, Instant resolvedAt,
                                       Integer ttlSeconds) {
        ObjectNode d = JSON.objectNode();
        d.put("id", instanceId(alertKey));
        d.put("tenant", tenant);
        d.put("docType", INSTANCE);
        d.put("alertKey", alertKey);
        d.put("resolvedEventId", resolvedEventId);
        d.put("resolvedAt", time(resolvedAt));
        putTtl(d, ttlSeconds);
        return d;
    }

    static Instant resolvedAt(JsonNode instanceDoc) {
        return instant(instanceDoc, "resolvedAt");
    }

    static String payloadId(String eventId) {
        return "payload." + eventId;
    }

    static ObjectNode payloadDocument(String tenant, String eventId, byte[] payload, Integer ttlSeconds) {
        ObjectNode d = JSON.objectNode();
        d.put("id", payloadId(eventId));
        d.put("tenant", tenant);
        d.put("docType", PAYLOAD);
        d.put("eventId", eventId);
        d.put("payloadBase64", Base64.getEncoder().encodeToString(payload));
        d.put("size", payload.length);
        putTtl(d, ttlSeconds);
        return d;
    }

    static byte[] payload(JsonNode payloadDoc) {
        return Base64.getDecoder().decode(text(payloadDoc, "payloadBase64"));
    }

    private static void putTtl(ObjectNode d, Integer ttlSeconds) {
        if (ttlSeconds != null) {
            d.put("ttl", ttlSeconds);
        }
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    private static Instant instant(JsonNode d, String field) {
        String v = text(d, field);
        return v == null ? null : Instant.parse(v);
    }

    private static String text(JsonNode d, String field) {
        JsonNode v = d.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
