package io.alertrelay.replay;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.domain.EventCriteria;
import io.alertrelay.domain.Json;
import io.alertrelay.intake.TenantTokens;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What to replay (DESIGN §13): a tenant (absent: every tenant), statuses, a window on the event's time and explicit
 * event ids; or only list what would be replayed ({@code dryRun}). {@code continuation} resumes a request past its
 * first page.
 *
 * <pre>{"tenant", "status": "deadlettered" | [...], "since", "until", "ids": [...], "dryRun", "continuation"}</pre>
 */
public record ReplayRequest(String tenant, Set<DeliveryStatus> statuses, Instant since, Instant until,
                            List<String> ids, boolean dryRun, String continuation) {

    /** The statuses a replay may select: the final ones and dead-lettered. */
    public static final Set<DeliveryStatus> REPLAYABLE = EnumSet.of(DeliveryStatus.DEADLETTERED,
            DeliveryStatus.REJECTED, DeliveryStatus.SUPERSEDED, DeliveryStatus.DELIVERED);
    /** At most this many explicit ids in one request. */
    public static final int MAX_IDS = 1000;
    /** The longest continuation this service gives (a Cosmos DB token within a base64 cursor) has room here. */
    private static final int MAX_CONTINUATION = 16 * 1024;
    private static final Pattern EVENT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}\\.[a-z0-9.-]{1,64}");
    private static final Set<String> FIELDS = Set.of("tenant", "status", "since", "until", "ids", "dryRun",
            "continuation");

    public ReplayRequest {
        statuses = Set.copyOf(statuses == null ? Set.of() : statuses);
        ids = List.copyOf(ids == null ? List.of() : ids);
    }

    /** The selection; no status given means every replayable one (never an event still on its way). */
    public EventCriteria criteria() {
        return new EventCriteria(statuses.isEmpty() ? REPLAYABLE : statuses, since, until);
    }

    /**
     * The request in a JSON body.
     *
     * @throws InvalidReplayRequest naming the field that is wrong (unknown status, since after until, a malformed
     *                              time, tenant or id, an unknown field)
     */
    public static ReplayRequest parse(byte[] body) {
        JsonNode json;
        try {
            json = body == null || body.length == 0 ? Json.object() : Json.readTree(body);
        } catch (IllegalArgumentException e) {
            throw new InvalidReplayRequest("body", "the body must be a JSON object");
        }
        if (!json.isObject()) {
            throw new InvalidReplayRequest("body", "the body must be a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            String name = it.next().getKey();
            if (!FIELDS.contains(name)) {
                throw new InvalidReplayRequest(name, "unknown field; the fields are " + String.join(", ", FIELDS));
            }
        }
        String tenant = text(json, "tenant");
        if (tenant != null && !TenantTokens.isValidTenant(tenant)) {
            throw new InvalidReplayRequest("tenant", "a tenant matches [a-z0-9][a-z0-9-]{0,62}");
        }
        Instant since = time(json, "since");
        Instant until = time(json, "until");
        if (since != null && until != null && since.isAfter(until)) {
            throw new InvalidReplayRequest("since", "since is after until");
        }
        JsonNode dryRun = json.path("dryRun");
        if (!dryRun.isMissingNode() && !dryRun.isBoolean()) {
            throw new InvalidReplayRequest("dryRun", "dryRun is true or false");
        }
        String continuation = text(json, "continuation");
        if (continuation != null && continuation.length() > MAX_CONTINUATION) {
            throw new InvalidReplayRequest("continuation", "not a continuation this service gave");
        }
        return new ReplayRequest(tenant, statuses(json.path("status")), since, until, ids(json.path("ids")),
                dryRun.asBoolean(false), continuation);
    }

    private static Set<DeliveryStatus> statuses(JsonNode status) {
        List<JsonNode> values = new ArrayList<>();
        if (status.isArray()) {
            status.forEach(values::add);
        } else if (!status.isMissingNode() && !status.isNull()) {
            values.add(status);
        }
        Set<DeliveryStatus> statuses = new LinkedHashSet<>();
        for (JsonNode v : values) {
            DeliveryStatus s = v.isTextual() ? REPLAYABLE.stream().filter(r -> r.value().equals(v.asText()))
                    .findFirst().orElse(null) : null;
            if (s == null) {
                throw new InvalidReplayRequest("status", "unknown status " + v + "; replayable are deadlettered, "
                        + "rejected, superseded and delivered");
            }
            statuses.add(s);
        }
        return statuses;
    }

    private static List<String> ids(JsonNode ids) {
        if (ids.isMissingNode() || ids.isNull()) {
            return List.of();
        }
        if (!ids.isArray() || ids.size() > MAX_IDS) {
            throw new InvalidReplayRequest("ids", "ids is an array of at most " + MAX_IDS + " event ids");
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode id : ids) {
            if (!id.isTextual() || !EVENT_ID.matcher(id.asText()).matches()) {
                throw new InvalidReplayRequest("ids", "not an event id: " + truncated(id.toString()));
            }
            out.add(id.asText());
        }
        return List.copyOf(out);
    }

    private static Instant time(JsonNode json, String field) {
        String text = text(json, field);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidReplayRequest(field, field + " is an ISO-8601 UTC time such as 2026-12-01T14:00:00Z");
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode v = json.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidReplayRequest(field, field + " is a string");
        }
        return v.asText();
    }

    private static String truncated(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
