package io.alertrelay.status;

import io.alertrelay.http.HttpAnswer;
import io.alertrelay.http.Problem;
import io.alertrelay.intake.TenantTokens;
import io.alertrelay.port.EventDocuments;
import io.alertrelay.domain.StoredAlert;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code GET /api/events/{tenant}/{id}} (DESIGN §5): where one stored event stands — its status fields, never the
 * payload. The deployment probe polls it until its event is delivered. Store failures are 503: the caller retries.
 */
public final class EventStatusLookup {

    /** Event ids are {@code <tenant>.<hex>}, at most 128 URL-safe characters (DESIGN §4). */
    private static final Pattern EVENT_ID = Pattern.compile("[a-z0-9.-]{1,128}");

    private final EventDocuments documents;

    public EventStatusLookup(EventDocuments documents) {
        this.documents = Objects.requireNonNull(documents, "documents");
    }

    public HttpAnswer lookup(String tenant, String id) {
        if (!TenantTokens.isValidTenant(tenant)) {
            return HttpAnswer.problem(Problem.of("invalid-tenant", "Invalid tenant", 400,
                    "the tenant in the URL must match [a-z0-9][a-z0-9-]{0,62}"));
        }
        if (id == null || !EVENT_ID.matcher(id).matches()) {
            return HttpAnswer.problem(Problem.of("invalid-event-id", "Invalid event id", 400,
                    "an event id is at most 128 characters of [a-z0-9.-]"));
        }
        Optional<StoredAlert> doc;
        try {
            doc = documents.find(tenant, id);
        } catch (RuntimeException e) {
            return HttpAnswer.unavailable("the store could not be read; retry later");
        }
        return doc.map(d -> HttpAnswer.json(200, statusFields(d)))
                .orElseGet(() -> HttpAnswer.problem(Problem.of("event-not-found", "Event not found", 404,
                        "no event " + id + " is stored for tenant " + tenant + " (yet)")));
    }

    /** The document without its event: nothing a tenant sent is echoed. */
    static Map<String, Object> statusFields(StoredAlert d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("tenant", d.tenant());
        m.put("type", d.type());
        m.put("status", d.status().value());
        m.put("attempts", d.attempts());
        m.put("createdAt", d.createdAt() == null ? null : d.createdAt().toString());
        m.put("updatedAt", d.updatedAt() == null ? null : d.updatedAt().toString());
        m.put("deliveredAt", d.deliveredAt() == null ? null : d.deliveredAt().toString());
        Map<String, Object> lastError = null;
        if (d.lastError() != null) {
            lastError = new LinkedHashMap<>();
            lastError.put("status", d.lastError().status());
            lastError.put("message", d.lastError().message());
        }
        m.put("lastError", lastError);
        return m;
    }
}
