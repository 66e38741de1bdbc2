package io.alertrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.domain.schema.AlertNormaliser;
import io.alertrelay.domain.ClaimCheck;
import io.alertrelay.domain.PlatformEvent;
import io.alertrelay.domain.PlatformEventCodec;
import io.alertrelay.domain.DeliveryOutcome;
import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.testing.Fixtures;
import io.alertrelay.logging.entry.LogEntry;
import io.alertrelay.logging.PipelineLog;
import io.alertrelay.logging.Redaction;
import io.alertrelay.logging.entry.Stage;
import io.alertrelay.testing.InMemoryStore;
import io.alertrelay.port.PermanentStoreException;
import io.alertrelay.testing.FailingStore;
import io.alertrelay.testing.InMemoryLogSink;
import io.alertrelay.testing.ScriptedPlatformClient;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_DELIVERY_COUNT = 3;

    private final InMemoryStore store = new InMemoryStore();
    private final ScriptedPlatformClient platform = new ScriptedPlatformClient();
    private final AlertDelivery delivery = AlertDelivery.builder().store(store, store, store, store.registry()).platform(platform)
            .maxDeliveryCount(MAX_DELIVERY_COUNT).clock(Clock.fixed(Instant.parse("2026-11-23T08:00:00Z"), ZoneOffset.UTC))
            .build();
    private final AlertNormaliser normaliser = new AlertNormaliser();

    @Test
    void deliveredEventIsStoredOnceAsDelivered() {
        PlatformEvent event = event("test-metric-static.json");

        DeliveryResult r = delivery.handle(message(event, 1));

        assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(platform.deliveredIds()).containsExactly(event.id());
        var doc = store.find(event.tenant(), event.id()).orElseThrow();
        assertThat(doc.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(doc.attempts()).isEqualTo(1);
        assertThat(doc.deliveredAt()).isNotNull();
        assertThat(doc.type()).isEqualTo("io.alertrelay.alert.fired");
    }

    @Test
    void redeliveredMessageOfASettledEventIsCompletedWithoutASecondDelivery() {
        PlatformEvent event = event("test-metric-static.json");
        delivery.handle(message(event, 1));

        DeliveryResult again = delivery.handle(message(event, 2));

        assertThat(again.duplicate()).isTrue();
        assertThat(platform.calls()).isEqualTo(1);
    }

    @Test
    void platformRejectionIsRecordedAndCompletedWithoutRetry() {
        PlatformEvent event = event("test-metric-static.json");
        platform.then(DeliveryOutcome.rejected(400, "bad request", 1));

        DeliveryResult r = delivery.handle(message(event, 1));

        assertThat(r.status()).isEqualTo(DeliveryStatus.REJECTED);
        var doc = store.find(event.tenant(), event.id()).orElseThrow();
        assertThat(doc.lastError().status()).isEqualTo(400);
        assertThat(delivery.handle(message(event, 2)).duplicate()).isTrue();
        assertThat(platform.calls()).isEqualTo(1);
    }

    @Test
    void transientFailureThrowsForRedeliveryAndKeepsTheDocumentOpen() {
        PlatformEvent event = event("test-metric-static.json");
        platform.then(DeliveryOutcome.transientFailure(503, "service unavailable", 4));

        assertThatThrownBy(() -> delivery.handle(message(event, 1)))
                .isInstanceOfSatisfying(RetryLaterException.class, e -> assertThat(e.lastDelivery()).isFalse());
        var doc = store.find(event.tenant(), event.id()).orElseThrow();
        assertThat(doc.status()).isEqualTo(DeliveryStatus.RECEIVED);
        assertThat(doc.attempts()).isEqualTo(4);
        assertThat(doc.lastError().status()).isEqualTo(503);

        assertThat(delivery.handle(message(event, 2)).status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(store.find(event.tenant(), event.id()).orElseThrow().attempts()).isEqualTo(5);
    }

    @Test
    void transientFailureOnTheLastAllowedDeliveryMarksTheDocumentDeadletteredThenThrows() {
        PlatformEvent event = event("test-metric-static.json");
        platform.then(DeliveryOutcome.transientFailure(null, "connection refused", 1));

        assertThatThrownBy(() -> delivery.handle(message(event, MAX_DELIVERY_COUNT)))
                .isInstanceOfSatisfying(RetryLaterException.class, e -> assertThat(e.lastDelivery()).isTrue());
        assertThat(store.find(event.tenant(), event.id()).orElseThrow().status())
                .isEqualTo(DeliveryStatus.DEADLETTERED);
    }

    @Test
    void aDeadLetteredMessageResubmittedByHandIsDeliveredNotTakenForSettled() {
        PlatformEvent event = event("test-metric-static.json");
        platform.then(DeliveryOutcome.transientFailure(503, "service unavailable", 1));
        assertThatThrownBy(() -> delivery.handle(message(event, MAX_DELIVERY_COUNT)));

        DeliveryResult resubmitted = delivery.handle(message(event, 1)); // Service Bus Explorer's copy, same MessageId

        assertThat(resubmitted.duplicate()).isFalse();
        assertThat(resubmitted.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(platform.deliveredIds()).containsExactly(event.id());
    }

    @Test
    void firedArrivingAfterTheResolvedOfTheSameAlertIsSupersededAndNeverDelivered() throws Exception {
        PlatformEvent resolved = event("cs-full-metric-resolved.json");
        PlatformEvent fired = event(withCondition(Fixtures.bytes("cs-full-metric-resolved.json"), "Fired"));
        assertThat(fired.id()).isNotEqualTo(resolved.id());

        delivery.handle(message(resolved, 1));
        DeliveryResult late = delivery.handle(message(fired, 1));

        assertThat(late.status()).isEqualTo(DeliveryStatus.SUPERSEDED);
        assertThat(platform.deliveredIds()).containsExactly(resolved.id());
        assertThat(store.find(fired.tenant(), fired.id()).orElseThrow().status()).isEqualTo(DeliveryStatus.SUPERSEDED);
    }

    @Test
    void firedBeforeItsResolvedIsDeliveredNormally() throws Exception {
        PlatformEvent resolved = event("cs-full-metric-resolved.json");
        PlatformEvent fired = event(withCondition(Fixtures.bytes("cs-full-metric-resolved.json"), "Fired"));

        delivery.handle(message(fired, 1));
        delivery.handle(message(resolved, 1));

        assertThat(platform.deliveredIds()).containsExactly(fired.id(), resolved.id());
    }

    @Test
    void newFiringOfALegacyRuleAfterItsResolutionIsDeliveredNotSuperseded() throws Exception {
        // Legacy metric alerts name only their rule, so every firing shares one alert key: times decide.
        byte[] legacy = Fixtures.bytes("legacy-metric-static.json");
        PlatformEvent firstFired = event(legacyAt(legacy, "Activated", "2021-11-15T09:35:12Z"));
        PlatformEvent resolved = event(legacyAt(legacy, "Resolved", "2021-11-15T09:45:12Z"));
        PlatformEvent lateFirstFired = firstFired;
        PlatformEvent secondFired = event(legacyAt(legacy, "Activated", "2021-11-15T10:05:12Z"));

        delivery.handle(message(resolved, 1));
        DeliveryResult stale = delivery.handle(message(lateFirstFired, 1));
        DeliveryResult fresh = delivery.handle(message(secondFired, 1));

        assertThat(stale.status()).isEqualTo(DeliveryStatus.SUPERSEDED);
        assertThat(fresh.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(platform.deliveredIds()).containsExactly(resolved.id(), secondFired.id());
    }

    @Test
    void claimCheckedEventReachesThePlatformWithItsWholePayload() throws Exception {
        byte[] original = Fixtures.bytes("test-metric-static.json");
        PlatformEvent event = normaliser.normalise("contoso", original);
        store.put(event.tenant(), event.id(), original);
        PlatformEvent reference = ClaimCheck.withReference(event);

        delivery.handle(new DequeuedMessage(PlatformEventCodec.toJson(reference), event.id(), 1,
                Map.of(ClaimCheck.PROPERTY, "true")));

        PlatformEvent delivered = PlatformEventCodec.fromJson(platform.bodies().get(0));
        assertThat(delivered.data().payload()).isEqualTo(JSON.readTree(original));
    }

    @Test
    void aClaimCheckReferenceInAPostedBodyIsJustDataWithoutTheWebhooksMark() {
        // Anyone may post {"$claimCheck": {...}}: without the message property only the webhook sets, it is
        // delivered as it came, not followed into the store (where it was retried until dead-lettered).
        PlatformEvent event = normaliser.normalise("contoso",
                "{\"$claimCheck\":{\"eventId\":\"contoso.nothing\"}}".getBytes());

        DeliveryResult r = delivery.handle(message(event, 1));

        assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(new String(platform.bodies().get(0))).contains("$claimCheck", "contoso.nothing");
    }

    @Test
    void unreadableMessageIsRecordedAndCompleted() {
        DeliveryResult r = delivery.handle(new DequeuedMessage("not an event".getBytes(), "m-1", 1));

        assertThat(r.status()).isEqualTo(DeliveryStatus.REJECTED);
        assertThat(platform.calls()).isZero();
        var recorded = store.find(AlertDelivery.UNREADABLE_PARTITION, r.eventId()).orElseThrow();
        assertThat(recorded.lastError().message()).contains("m-1");
    }

    @Test
    void everyStageOfADeliveryIsLoggedWithTheEventAndTheRetryThenTheDelivery() {
        InMemoryLogSink sink = new InMemoryLogSink();
        PipelineLog log = PipelineLog.of(sink, Redaction.patternsOnly());
        PlatformEvent event = event("test-metric-static.json");
        platform.then(DeliveryOutcome.transientFailure(503, "service unavailable", 2));

        assertThatThrownBy(() -> delivery.handle(message(event, 1), log.forInvocation("AlertDequeuer", "inv-1",
                java.util.logging.Logger.getAnonymousLogger())));
        delivery.handle(message(event, 2), log.forInvocation("AlertDequeuer", "inv-2",
                java.util.logging.Logger.getAnonymousLogger()));

        assertThat(sink.entries()).extracting(LogEntry::stage).containsExactly(Stage.RECEIVED, Stage.STORED,
                Stage.RETRIED, Stage.RECEIVED, Stage.STORED, Stage.DELIVERED);
        assertThat(sink.entries()).allSatisfy(e -> assertThat(e.toRow()).containsEntry("EventId", event.id()));
        assertThat(sink.entries(e -> e.stage() != Stage.RECEIVED)).allSatisfy(e -> assertThat(e.toRow())
                .containsEntry("Tenant", "contoso").containsEntry("EventType", "io.alertrelay.alert.fired"));
        assertThat(sink.entries().get(2).toRow()).containsEntry("Outcome", "transient-failure");
    }

    @Test
    void aStoreThatRefusesIsLoggedByItsKindAndTheMessageGoesBackToTheBroker() {
        InMemoryLogSink sink = new InMemoryLogSink();
        FailingStore refusing = FailingStore.refusing();
        AlertDelivery withRefusingStore = AlertDelivery.builder().store(refusing, refusing, refusing, refusing.registry())
                .platform(platform).build();
        PlatformEvent event = event("test-metric-static.json");

        assertThatThrownBy(() -> withRefusingStore.handle(message(event, 1), PipelineLog.of(sink,
                Redaction.patternsOnly()).forInvocation("AlertDequeuer", "inv", java.util.logging.Logger.getAnonymousLogger())))
                .isInstanceOf(PermanentStoreException.class);

        LogEntry last = sink.entries().get(sink.entries().size() - 1);
        assertThat(last.stage()).isEqualTo(Stage.RETRIED);
        assertThat(last.toRow()).containsEntry("Outcome", "failure").containsEntry("EventId", event.id());
        assertThat(last.toRow().get("Properties").toString()).contains("permanent");
        assertThat(platform.calls()).isZero();
    }

    /**
     * Issue 16: a Fired delivered at its first attempt costs a create, a lease and one write — no read of its document
     * (the create's copy carries the ETag), no re-check of its instance before the first attempt (the lease was taken
     * in the write that checked), and no write of the instance to release the lease (the delivered write ends it).
     */
    @Test
    void aFiredDeliveredAtItsFirstAttemptReadsNeitherItsDocumentNorItsInstanceAgain() {
        PlatformEvent event = event("test-metric-static.json");
        Map<String, Integer> calls = new java.util.concurrent.ConcurrentHashMap<>();
        AlertDelivery counted = AlertDelivery.builder()
                .store(countingProxy(io.alertrelay.port.EventDocuments.class, store, calls),
                        countingProxy(io.alertrelay.port.AlertInstances.class, store, calls), store, store.registry())
                .platform(platform).maxDeliveryCount(MAX_DELIVERY_COUNT).build();

        assertThat(counted.handle(message(event, 1)).status()).isEqualTo(DeliveryStatus.DELIVERED);

        assertThat(calls).containsOnlyKeys("createIfAbsent", "leaseFired", "replaceIfUnchanged")
                .allSatisfy((method, n) -> assertThat(n).as(method).isEqualTo(1));
    }

    @Test
    void thePlatformReceivesTheMessageBodyAsTheWebhookWroteIt() {
        PlatformEvent event = event("test-metric-static.json");
        byte[] body = PlatformEventCodec.toJson(event);

        delivery.handle(new DequeuedMessage(body, event.id(), 1));

        assertThat(platform.bodies()).singleElement().isEqualTo(body);
    }

    /** {@code target} behind {@code port}, counting calls by method name (default methods run on the proxy). */
    private static <T> T countingProxy(Class<T> port, T target, Map<String, Integer> calls) {
        return port.cast(java.lang.reflect.Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port},
                (proxy, method, args) -> {
                    if (method.isDefault()) {
                        return java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
                    }
                    calls.merge(method.getName(), 1, Integer::sum);
                    try {
                        return method.invoke(target, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                }));
    }

    private PlatformEvent event(String fixture) {
        return normaliser.normalise("contoso", Fixtures.bytes(fixture));
    }

    private PlatformEvent event(byte[] body) {
        return normaliser.normalise("contoso", body);
    }

    private static DequeuedMessage message(PlatformEvent event, int deliveryCount) {
        return new DequeuedMessage(PlatformEventCodec.toJson(event), event.id(), deliveryCount);
    }

    private static byte[] legacyAt(byte[] legacyMetric, String status, String timestamp) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(legacyMetric);
        root.withObject("/data").put("status", status);
        root.withObject("/data").withObject("/context").put("timestamp", timestamp);
        return JSON.writeValueAsBytes(root);
    }

    /** The same alert instance with another monitor condition, as Azure sends Fired then Resolved. */
    private static byte[] withCondition(byte[] commonSchema, String condition) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(commonSchema);
        ObjectNode essentials = root.withObject("/data").withObject("/essentials");
        essentials.put("monitorCondition", condition);
        essentials.remove("resolvedDateTime");
        return JSON.writeValueAsBytes(root);
    }
}
