package io.alertrelay.local.e2e;

import static io.alertrelay.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.domain.StoredAlert;
import io.alertrelay.testing.Fixtures;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The dequeuer's promises end to end in one JVM (DESIGN §4, §6): webhook → Service Bus emulator → SDK processor
 * with host settlement → Cosmos store → signed delivery to the platform.
 */
class DeliveryEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void postedAlertIsStoredAndDeliveredOnceWithAValidSignature() throws Exception {
        try (TestPipeline p = TestPipeline.start(5)) {
            String id = accepted(p.post(Fixtures.bytes("test-metric-static.json")));

            StoredAlert doc = awaitStatus(p, id, DeliveryStatus.DELIVERED);

            assertThat(doc.attempts()).isEqualTo(1);
            assertThat(p.platform.effectiveDeliveries()).containsExactly(id);
            assertThat(p.platform.badSignatures()).isEmpty();
            assertThat(JSON.readTree(p.platform.bodyOf(id)).path("type").asText()).isEqualTo("io.alertrelay.alert.fired");
        }
    }

    @Test
    void sameNotificationPostedTwiceIsDeliveredOnce() throws Exception {
        try (TestPipeline p = TestPipeline.start(5)) {
            String first = accepted(p.post(Fixtures.bytes("test-log-v2.json")));
            String second = accepted(p.post(Fixtures.bytes("test-log-v2.json")));
            assertThat(second).isEqualTo(first);

            awaitStatus(p, first, DeliveryStatus.DELIVERED);
            await("the subscription to be empty", WAIT,
                    () -> p.bus.activeMessageCount(TestPipeline.TOPIC, TestPipeline.SUBSCRIPTION), n -> n == 0);

            assertThat(p.platform.acceptedRequests()).isEqualTo(1);
        }
    }

    @Test
    void messageRedeliveredPastDuplicateDetectionStillGivesOneDocumentAndOneDelivery() throws Exception {
        // With duplicate detection off, the second post is a second message: the store must make it harmless.
        try (TestPipeline p = TestPipeline.start(5, b -> b.duplicateDetectionWindow(Duration.ZERO))) {
            String id = accepted(p.post(Fixtures.bytes("test-metric-static.json")));
            awaitStatus(p, id, DeliveryStatus.DELIVERED);
            accepted(p.post(Fixtures.bytes("test-metric-static.json")));

            await("the duplicate message to be settled", WAIT,
                    () -> p.bus.activeMessageCount(TestPipeline.TOPIC, TestPipeline.SUBSCRIPTION), n -> n == 0);

            assertThat(p.platform.acceptedRequests()).isEqualTo(1);
            assertThat(p.document(id).orElseThrow().attempts()).isEqualTo(1);
        }
    }

    @Test
    void platformDownForTheFirstDeliveryIsDeliveredOnALaterOne() throws Exception {
        try (TestPipeline p = TestPipeline.start(5)) {
            p.platform.failNext(2); // both attempts of the first invocation
            String id = accepted(p.post(Fixtures.bytes("test-metric-static.json")));

            StoredAlert doc = awaitStatus(p, id, DeliveryStatus.DELIVERED);

            assertThat(doc.attempts()).isEqualTo(3);
            assertThat(p.platform.effectiveDeliveries()).containsExactly(id);
        }
    }

    @Test
    void platformDownBeyondMaxDeliveryCountEndsDeadletteredInTheStoreAndTheQueue() throws Exception {
        try (TestPipeline p = TestPipeline.start(3)) {
            p.platform.failNext(Integer.MAX_VALUE);
            String id = accepted(p.post(Fixtures.bytes("test-metric-static.json")));

            await("the message to be dead-lettered", WAIT,
                    () -> p.bus.deadLetterMessageCount(TestPipeline.TOPIC, TestPipeline.SUBSCRIPTION), n -> n == 1);
            StoredAlert doc = p.document(id).orElseThrow();

            assertThat(doc.status()).isEqualTo(DeliveryStatus.DEADLETTERED);
            assertThat(doc.attempts()).isEqualTo(3 * 2);
            assertThat(doc.lastError().status()).isEqualTo(503);
            assertThat(p.platform.effectiveDeliveries()).isEmpty();
        }
    }

    @Test
    void firedArrivingAfterItsResolvedIsSupersededAndNotDelivered() throws Exception {
        try (TestPipeline p = TestPipeline.start(5)) {
            byte[] resolved = Fixtures.bytes("cs-full-metric-resolved.json");
            String resolvedId = accepted(p.post(resolved));
            awaitStatus(p, resolvedId, DeliveryStatus.DELIVERED);

            String firedId = accepted(p.post(asFired(resolved)));
            awaitStatus(p, firedId, DeliveryStatus.SUPERSEDED);

            assertThat(p.platform.effectiveDeliveries()).containsExactly(resolvedId);
        }
    }

    @Test
    void notificationOverTheMessageLimitIsClaimCheckedAndArrivesWhole() throws Exception {
        try (TestPipeline p = TestPipeline.start(5)) {
            ObjectNode big = (ObjectNode) JSON.readTree(Fixtures.bytes("test-log-v2.json"));
            big.withObject("/data").withObject("/customProperties").put("runbookOutput", "x".repeat(300 * 1024));
            byte[] body = JSON.writeValueAsBytes(big);
            assertThat(body.length).isGreaterThan(256 * 1024);

            String id = accepted(p.post(body));
            awaitStatus(p, id, DeliveryStatus.DELIVERED);

            JsonNode delivered = JSON.readTree(p.platform.bodyOf(id));
            assertThat(delivered.path("data").path("payload")).isEqualTo(big);
        }
    }

    private static String accepted(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).path("id").asText();
    }

    private static StoredAlert awaitStatus(TestPipeline p, String id, DeliveryStatus status) {
        return await("event " + id + " to be " + status.value(), WAIT,
                () -> p.document(id).orElse(null), d -> d != null && d.status() == status);
    }

    private static byte[] asFired(byte[] resolvedCommonSchema) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(resolvedCommonSchema);
        ObjectNode essentials = root.withObject("/data").withObject("/essentials");
        essentials.put("monitorCondition", "Fired");
        essentials.remove("resolvedDateTime");
        return JSON.writeValueAsBytes(root);
    }
}
