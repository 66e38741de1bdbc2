package io.alertrelay.adapter.cosmos;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.alertrelay.domain.FiredLease;
import java.util.ArrayList;
import java.util.List;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.domain.Json;
import io.alertrelay.domain.Replays;
import io.alertrelay.domain.StoredAlert;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The JSON documents of the Cosmos container (DESIGN §7), all in the tenant's partition ({@code /tenant}) and told
 * apart by {@code docType}:
 *
 * <pre>
 * alert    { id: eventId, tenant, docType: "alert", type, alertKey, condition, status: "received"|…,
 *            attempts, createdAt, updatedAt, deliveredAt, lastError: {status, message} | null,
 *            eventTime, replayCount, replayedAt, replays: [{id, at, outcome}], endedLeases: [holder],
 *            event: "&lt;the platform event as JSON text&gt;", ttl? }
 * instance { id: "instance." + hex(sha256(alertKey)), tenant, docType: "instance", alertKey,
 *            resolvedEventId, resolvedAt, firedLeases: [{eventId, holder, firedAt, until}], ttl? }
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
        d.put("eventTime", sortableTime(a.eventTime()));
        d.put("replayCount", a.replays().count());
        d.put("replayedAt", time(a.replays().lastAt()));
        ArrayNode replays = d.putArray("replays");
        for (Replays.Replay r : a.replays().recent()) {
            replays.addObject().put("id", r.id()).put("at", time(r.at())).put("outcome", r.outcome());
        }
        // Not indexed (the template's policy includes named paths only): read back with the document, never queried.
        // Written only once a lease ended, so most alert documents (a delivered Fired ends none) carry no empty array.
        if (!a.endedLeases().isEmpty()) {
            ArrayNode ended = d.putArray("endedLeases");
            a.endedLeases().forEach(ended::add);
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
        List<Replays.Replay> recent = new ArrayList<>();
        for (JsonNode r : d.path("replays")) {
            recent.add(new Replays.Replay(text(r, "id"), instant(r, "at"), text(r, "outcome")));
        }
        List<String> endedLeases = new ArrayList<>(); // absent on a document written before the field existed
        for (JsonNode h : d.path("endedLeases")) {
            endedLeases.add(h.asText());
        }
        return new StoredAlert(text(d, "id"), text(d, "tenant"), text(d, "type"), text(d, "alertKey"),
                text(d, "condition"), DeliveryStatus.fromValue(text(d, "status")), d.path("attempts").asInt(0),
                instant(d, "createdAt"), instant(d, "updatedAt"), instant(d, "deliveredAt"), lastError,
                event == null || event.isNull() ? null : event.isTextual() ? Json.readTree(event.asText()) : event, etag,
                instant(d, "eventTime"), new Replays(d.path("replayCount").asInt(0), instant(d, "replayedAt"), recent),
                endedLeases);
    }

    /**
     * A time as fixed-width ISO-8601 UTC text (always nine fraction digits): strings Cosmos DB compares in time order,
     * which Instant's shortest form ("…:00Z" after "…:00.5Z") would not be.
     */
    static String sortableTime(java.time.Instant t) {
        return t == null ? null : SORTABLE.format(t);
    }

    private static final java.time.format.DateTimeFormatter SORTABLE = java.time.format.DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(java.time.ZoneOffset.UTC);

    /** A tenant's registry document (CosmosTenantRegistry), in the registry's own partition. */
    static ObjectNode tenantDocument(String partition, String tenant) {
        ObjectNode d = JSON.objectNode();
        d.put("id", "tenant." + tenant);
        d.put("tenant", partition);
        d.put("docType", "tenant");
        d.put("name", tenant);
        return d;
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

    /** A new instance document: not resolved, no leases. */
    static ObjectNode instanceDocument(String tenant, String alertKey, Integer ttlSeconds) {
        ObjectNode d = JSON.objectNode();
        d.put("id", instanceId(alertKey));
        d.put("tenant", tenant);
        d.put("docType", INSTANCE);
        d.put("alertKey", alertKey);
        d.putNull("resolvedEventId");
        d.putNull("resolvedAt");
        d.putArray("firedLeases");
        putTtl(d, ttlSeconds);
        return d;
    }

    static ObjectNode withResolved(ObjectNode instanceDoc, String resolvedEventId, Instant resolvedAt) {
        instanceDoc.put("resolvedEventId", resolvedEventId);
        instanceDoc.put("resolvedAt", time(resolvedAt));
        return instanceDoc;
    }

    /** The resolve time, or null while none is recorded. */
    static Instant resolvedAt(JsonNode instanceDoc) {
        return instant(instanceDoc, "resolvedAt");
    }

    static List<FiredLease> leases(JsonNode instanceDoc) {
        List<FiredLease> leases = new ArrayList<>();
        for (JsonNode l : instanceDoc.path("firedLeases")) {
            leases.add(new FiredLease(text(l, "eventId"), text(l, "holder"), instant(l, "firedAt"),
                    instant(l, "until")));
        }
        return leases;
    }

    static ObjectNode withLeases(ObjectNode instanceDoc, List<FiredLease> leases) {
        ArrayNode array = instanceDoc.putArray("firedLeases");
        for (FiredLease l : leases) {
            array.addObject().put("eventId", l.eventId()).put("holder", l.holder())
                    .put("firedAt", time(l.firedAt())).put("until", time(l.until()));
        }
        return instanceDoc;
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
