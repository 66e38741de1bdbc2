package io.alertrelay.replay;

import io.alertrelay.domain.EventPage;
import io.alertrelay.domain.AlertMessage;
import io.alertrelay.domain.AlertMessages;
import io.alertrelay.domain.ClaimCheck;
import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.domain.Json;
import io.alertrelay.domain.Lane;
import io.alertrelay.domain.PlatformEvent;
import io.alertrelay.domain.PlatformEventCodec;
import io.alertrelay.domain.StoredAlert;
import io.alertrelay.logging.InvocationLog;
import io.alertrelay.logging.entry.LogProperty;
import io.alertrelay.logging.entry.Outcome;
import io.alertrelay.logging.entry.Stage;
import io.alertrelay.port.AlertPublisher;
import io.alertrelay.port.DeadLetters;
import io.alertrelay.port.EventDocuments;
import io.alertrelay.port.EventSearch;
import io.alertrelay.port.PayloadStore;
import io.alertrelay.port.TenantRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.LinkedHashSet;
import io.alertrelay.domain.EventCriteria;
import io.alertrelay.intake.TenantTokens;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Replay (DESIGN §13): selects stored events — by tenant, status, a window on the event's time, or explicit ids —
 * and publishes each again under a new MessageId, so Service Bus duplicate detection does not drop it, while the
 * event id (CloudEvent id, webhook-id, Idempotency-Key) stays: the platform can recognise it. The message carries
 * the replay's id, which the dequeuer uses to deliver the event even when its document is final, and once per
 * replay request. A replayed dead-lettered event's message leaves the dead-letter queue. Pages of at most
 * {@value #PAGE} events: the caller sends the continuation back (with the same filter) for the next.
 */
public final class Replay {

    /** The most events one request replays (or lists). */
    public static final int PAGE = 1000;
    /** The message properties a replay adds: the replay's id, and the event's (the MessageId is the replay's own). */
    public static final String REPLAY_PROPERTY = "replay";
    public static final String EVENT_ID_PROPERTY = "eventId";

    private final EventDocuments documents;
    private final EventSearch search;
    private final TenantRegistry registry;
    private final PayloadStore payloads;
    private final AlertPublisher publisher;
    private final DeadLetters deadLetters;
    private final long maxMessageBytes;
    private final Supplier<String> newReplayId;

    public Replay(EventDocuments documents, EventSearch search, TenantRegistry registry, PayloadStore payloads,
                  AlertPublisher publisher, DeadLetters deadLetters, long maxMessageBytes) {
        this(documents, search, registry, payloads, publisher, deadLetters, maxMessageBytes,
                () -> UUID.randomUUID().toString());
    }

    Replay(EventDocuments documents, EventSearch search, TenantRegistry registry, PayloadStore payloads,
           AlertPublisher publisher, DeadLetters deadLetters, long maxMessageBytes, Supplier<String> newReplayId) {
        this.documents = Objects.requireNonNull(documents, "documents");
        this.search = Objects.requireNonNull(search, "search");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.payloads = Objects.requireNonNull(payloads, "payloads");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.maxMessageBytes = maxMessageBytes;
        this.newReplayId = newReplayId;
    }

    /**
     * Runs one page of {@code request}.
     *
     * @throws InvalidReplayRequest a continuation this service did not give
     */
    public ReplayResult run(ReplayRequest request, InvocationLog log) {
        Set<String> orphans = request.continuation() == null ? orphans(request) : Set.of();
        Selection selection = request.ids().isEmpty() ? byFilter(request, orphans) : byIds(request, orphans);
        int drained = 0;
        if (!request.dryRun()) {
            // Dead letters first: they take room on the topic, and a topic they fill refuses the replay's sends.
            // Their documents keep the events, so a publish that fails after leaves them selectable by status.
            drained = drain(deadLettered(selection.events()), selection.replayId(), log);
            for (StoredAlert doc : selection.events()) {
                publish(doc, selection.replayId(), log);
            }
            // An orphan's document says received: its dead-lettered message is the only sign it was lost, so the
            // message leaves the queue only once the event is on the topic again.
            drained += drain(selection.events().stream().map(StoredAlert::id).filter(orphans::contains).toList(),
                    selection.replayId(), log);
        }
        return new ReplayResult(selection.replayId(), request.dryRun(),
                selection.events().stream().map(StoredAlert::id).toList(),
                selection.next() == null ? null : selection.next().encode(), selection.unmatched(), drained);
    }

    private static List<String> deadLettered(List<StoredAlert> events) {
        return events.stream().filter(d -> d.status() == DeliveryStatus.DEADLETTERED).map(StoredAlert::id).toList();
    }

    /**
     * Removes the replayed events' messages from the dead-letter queue. A queue that cannot be reached fails
     * nothing: the messages stay, health counts them, and the events are published all the same.
     */
    private int drain(List<String> eventIds, String replayId, InvocationLog log) {
        if (eventIds.isEmpty()) {
            return 0;
        }
        try {
            return deadLetters.remove(eventIds);
        } catch (RuntimeException e) {
            log.at(Stage.REPLAYED).outcome(Outcome.TRANSIENT_FAILURE).property(LogProperty.REPLAY_ID, replayId)
                    .property(LogProperty.REASON, e.getClass().getSimpleName())
                    .log("replayed events' messages could not be removed from the dead-letter queue");
            return 0;
        }
    }

    private record Selection(String replayId, List<StoredAlert> events, ReplayCursor next, List<String> unmatched) {
    }

    /**
     * Events the dead-letter queue holds whose documents still say received: the broker dead-lettered their message
     * without an invocation marking them (the lock of its last allowed delivery lapsed, as when a host stops). A
     * replay that selects dead-lettered events takes them too, so none stays lost. Read from the head of the queue
     * (peeked, nothing locked), at most a page, on a request's first page.
     */
    private Set<String> orphans(ReplayRequest request) {
        if (!request.criteria().statuses().contains(DeliveryStatus.DEADLETTERED)) {
            return Set.of();
        }
        Set<String> orphans = new LinkedHashSet<>();
        for (String id : deadLetters.eventIds(PAGE)) {
            int dot = id.indexOf('.');
            String tenant = dot > 0 ? id.substring(0, dot) : null;
            if (tenant == null || !TenantTokens.isValidTenant(tenant)
                    || (request.tenant() != null && !request.tenant().equals(tenant))) {
                continue;
            }
            documents.find(tenant, id)
                    .filter(d -> d.status() == DeliveryStatus.RECEIVED && inWindow(request, d))
                    .ifPresent(d -> orphans.add(d.id()));
        }
        return orphans;
    }

    private static boolean inWindow(ReplayRequest request, StoredAlert d) {
        return new EventCriteria(Set.of(), request.since(), request.until()).matches(d);
    }

    private Selection byIds(ReplayRequest request, Set<String> orphans) {
        List<StoredAlert> events = new ArrayList<>();
        List<String> unmatched = new ArrayList<>();
        for (String id : request.ids()) {
            String tenant = id.substring(0, id.indexOf('.'));
            Optional<StoredAlert> doc = documents.find(tenant, id);
            if (doc.isPresent() && (request.tenant() == null || request.tenant().equals(tenant))
                    && (request.criteria().matches(doc.get()) || orphans.contains(id))) {
                events.add(doc.get());
            } else {
                unmatched.add(id);
            }
        }
        return new Selection(newReplayId.get(), events, null, unmatched);
    }

    /** Up to a page of events, tenant by tenant (in name order) from where the cursor stands. */
    private Selection byFilter(ReplayRequest request, Set<String> orphans) {
        List<String> tenants = request.tenant() != null ? List.of(request.tenant()) : registry.tenants();
        ReplayCursor cursor = request.continuation() != null ? ReplayCursor.decode(request.continuation())
                : tenants.isEmpty() ? null : new ReplayCursor(newReplayId.get(), tenants.get(0), null);
        if (cursor != null && request.tenant() != null && !request.tenant().equals(cursor.tenant())) {
            throw new InvalidReplayRequest("continuation", "the continuation belongs to another tenant's replay");
        }
        String replayId = cursor == null ? newReplayId.get() : cursor.replayId();
        List<StoredAlert> events = new ArrayList<>();
        for (String id : orphans) {
            documents.find(id.substring(0, id.indexOf('.')), id).ifPresent(events::add);
        }
        while (cursor != null && events.size() < PAGE) {
            EventPage page = find(cursor, request, PAGE - events.size());
            events.addAll(page.events());
            cursor = page.continuation() != null
                    ? new ReplayCursor(replayId, cursor.tenant(), page.continuation())
                    : nextTenant(tenants, cursor);
        }
        return new Selection(replayId, events, cursor, List.of());
    }

    private EventPage find(ReplayCursor cursor, ReplayRequest request, int limit) {
        try {
            return search.find(cursor.tenant(), request.criteria(), cursor.storeContinuation(), limit);
        } catch (IllegalArgumentException e) {
            throw new InvalidReplayRequest("continuation", "not a continuation this service gave");
        }
    }

    private static ReplayCursor nextTenant(List<String> tenants, ReplayCursor cursor) {
        return tenants.stream().filter(t -> t.compareTo(cursor.tenant()) > 0).findFirst()
                .map(t -> new ReplayCursor(cursor.replayId(), t, null)).orElse(null);
    }

    /**
     * Publishes one stored event again, whole: claim-checked again when it is too large for a message. In the bulk
     * lane: a replay may be thousands of events, and must not queue in front of live alerts (issue 14).
     */
    private void publish(StoredAlert doc, String replayId, InvocationLog log) {
        byte[] body = Json.writeBytes(doc.event());
        PlatformEvent event = PlatformEventCodec.fromJson(body);
        AlertMessage original = AlertMessages.of(event, body, false, Lane.BULK);
        if (AlertMessages.size(original) > maxMessageBytes) { // body and properties, as the intake counts them
            payloads.put(event.tenant(), event.id(), Json.writeBytes(event.data().payload()));
            body = PlatformEventCodec.toJson(ClaimCheck.withReference(event));
            original = AlertMessages.of(event, body, true, Lane.BULK);
        }
        Map<String, String> properties = new LinkedHashMap<>(original.properties());
        properties.put(REPLAY_PROPERTY, replayId);
        properties.put(EVENT_ID_PROPERTY, event.id());
        publisher.publish(new AlertMessage(messageId(replayId, event.id()), original.subject(), original.contentType(),
                body, properties));
        log.event(event).at(Stage.REPLAYED).property(LogProperty.REPLAY_ID, replayId)
                .property(LogProperty.STATUS, doc.status().value()).log("replayed: published again");
    }

    /** A MessageId of its own per (replay, event): URL-safe, 71 characters. */
    static String messageId(String replayId, String eventId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((replayId + "\n" + eventId).getBytes(StandardCharsets.UTF_8));
            return "replay." + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-256", e);
        }
    }
}
