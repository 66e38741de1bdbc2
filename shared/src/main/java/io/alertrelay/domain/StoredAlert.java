package io.alertrelay.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The stored document of one event (DESIGN §7), partitioned by tenant, id = event id.
 *
 * @param alertKey    the alert instance shared by its Fired and Resolved events
 * @param condition   Fired, Resolved or null
 * @param attempts    delivery attempts made so far (HTTP calls to the platform)
 * @param deliveredAt when the platform acknowledged, or null
 * @param lastError   the last delivery failure, or null
 * @param event       the platform event as CloudEvents JSON (payload whole, never a claim-check reference)
 * @param etag        the store's version for optimistic concurrency; null on a document not yet stored
 * @param eventTime   when Azure says the event happened (the event's {@code time}): what a replay window selects on
 * @param replays     the replays of this event (DESIGN §13)
 * @param endedLeases the holders of this event's Fired leases whose delivery ended, each written with that delivery's
 *                    outcome (README "Delivery"): a Resolved no longer waits for their leases. A delivered outcome
 *                    adds none (a delivered document ends every lease of its event). At most one per invocation, so
 *                    at most MAX_DELIVERY_COUNT; empty, never null
 */
public record StoredAlert(String id, String tenant, String type, String alertKey, String condition,
                          DeliveryStatus status, int attempts, Instant createdAt, Instant updatedAt,
                          Instant deliveredAt, LastError lastError, JsonNode event, String etag,
                          Instant eventTime, Replays replays, List<String> endedLeases) {

    public StoredAlert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(status, "status");
        replays = replays == null ? Replays.NONE : replays;
        endedLeases = endedLeases == null ? List.of() : List.copyOf(endedLeases);
    }

    /** A document never replayed, its event time read from the event. */
    public StoredAlert(String id, String tenant, String type, String alertKey, String condition,
                       DeliveryStatus status, int attempts, Instant createdAt, Instant updatedAt,
                       Instant deliveredAt, LastError lastError, JsonNode event, String etag) {
        this(id, tenant, type, alertKey, condition, status, attempts, createdAt, updatedAt, deliveredAt, lastError,
                event, etag, timeOf(event), Replays.NONE, List.of());
    }

    /** Why the last delivery failed: the platform's HTTP status (null for a network failure) and a short message. */
    public record LastError(Integer status, String message) {
    }

    public StoredAlert withStatus(DeliveryStatus newStatus, Instant now) {
        return new StoredAlert(id, tenant, type, alertKey, condition, newStatus, attempts, createdAt, now,
                deliveredAt, lastError, event, etag, eventTime, replays, endedLeases);
    }

    public StoredAlert delivered(int moreAttempts, Instant now) {
        return new StoredAlert(id, tenant, type, alertKey, condition, DeliveryStatus.DELIVERED, attempts + moreAttempts,
                createdAt, now, now, lastError, event, etag, eventTime, replays, endedLeases);
    }

    public StoredAlert failed(DeliveryStatus newStatus, int moreAttempts, LastError error, Instant now) {
        return new StoredAlert(id, tenant, type, alertKey, condition, newStatus, attempts + moreAttempts, createdAt,
                now, deliveredAt, error, event, etag, eventTime, replays, endedLeases);
    }

    public StoredAlert withEtag(String newEtag) {
        return new StoredAlert(id, tenant, type, alertKey, condition, status, attempts, createdAt, updatedAt,
                deliveredAt, lastError, event, newEtag, eventTime, replays, endedLeases);
    }

    /** This document after replay {@code replayId} ended with {@code outcome} (its status set by the caller). */
    public StoredAlert replayed(String replayId, String outcome, Instant now) {
        return new StoredAlert(id, tenant, type, alertKey, condition, status, attempts, createdAt, now,
                deliveredAt, lastError, event, etag, eventTime, replays.with(replayId, outcome, now),
                endedLeases);
    }

    /**
     * This document once the delivery that held Fired lease {@code holder} ended (its outcome is written in the same
     * write); this document itself when {@code holder} is listed already.
     */
    public StoredAlert withLeaseEnded(String holder, Instant now) {
        Objects.requireNonNull(holder, "holder");
        if (endedLeases.contains(holder)) {
            return this;
        }
        List<String> ended = new ArrayList<>(endedLeases);
        ended.add(holder);
        return new StoredAlert(id, tenant, type, alertKey, condition, status, attempts, createdAt, now, deliveredAt,
                lastError, event, etag, eventTime, replays, ended);
    }

    /** The event's {@code time}, or null when it has none that parses. */
    static Instant timeOf(JsonNode event) {
        if (event == null || !event.path("time").isTextual()) {
            return null;
        }
        try {
            return Instant.parse(event.path("time").asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
