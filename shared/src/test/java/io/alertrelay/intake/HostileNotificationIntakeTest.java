package io.alertrelay.intake;

import io.alertrelay.domain.AlertMessages;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.domain.AlertMessage;
import io.alertrelay.domain.ClaimCheck;
import io.alertrelay.domain.Json;
import io.alertrelay.domain.PlatformEvent;
import io.alertrelay.domain.PlatformEventCodec;
import io.alertrelay.port.PayloadStore;
import io.alertrelay.settings.Secret;
import io.alertrelay.testing.HostileInputs;
import io.alertrelay.testing.InMemoryStore;
import io.alertrelay.testing.RecordingPublisher;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 12, points 2–4 and 6, at the webhook's use case: each hostile notification gets the answer it must (a 4xx
 * naming the problem, or a 202 whose message can be read back), never a 503 from a bus that took everything.
 */
class HostileNotificationIntakeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TENANT = "contoso";

    private final TenantTokens tokens = new TenantTokens(List.of(new Secret("test-key")));
    private final RecordingPublisher bus = new RecordingPublisher();
    private final CountingPayloads store = new CountingPayloads(new InMemoryStore());
    private final AlertIntake intake = AlertIntake.builder().tokens(tokens).publisher(bus).claimCheckStore(store)
            .build();

    static Stream<HostileInputs.Case> hostileInputs() {
        return HostileInputs.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileInputs")
    void everyHostileInputGetsItsAnswerNamingTheProblem(HostileInputs.Case hostile) throws Exception {
        IntakeResponse r = intake.handle(request(hostile.body()));

        assertThat(r.status()).as(hostile.name() + ": " + r.body()).isEqualTo(hostile.status());
        if (r.status() == 202) {
            AlertMessage m = bus.published().get(0);
            assertThat(AlertMessages.size(m)).isLessThanOrEqualTo(240 * 1024);
            assertThat(PlatformEventCodec.fromJson(m.body()).id()).isEqualTo(r.event().id());
        } else {
            JsonNode problem = JSON.readTree(r.body());
            assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(problem.path("type").asText()).isEqualTo("https://alertrelay.io/problems/" + hostile.problem());
            assertThat(problem.path("status").asInt()).isEqualTo(hostile.status());
            assertThat(problem.path("title").asText()).isNotBlank();
            assertThat(problem.path("detail").asText()).isNotBlank();
            if (hostile.field() != null) {
                assertThat(problem.path("field").asText()).isEqualTo(hostile.field());
            }
            assertThat(bus.published()).isEmpty();
            assertThat(store.puts()).as("nothing stored for a refused notification").isZero();
        }
    }

    @Test
    void aNotificationTooLargeEvenClaimCheckedIs413NamingTheFieldAndStoresNothing() throws Exception {
        IntakeResponse r = intake.handle(request(HostileInputs.commonWith("description", "d".repeat(300 * 1024))));

        assertThat(r.status()).isEqualTo(413);
        JsonNode problem = JSON.readTree(r.body());
        assertThat(problem.path("type").asText()).endsWith("/payload-too-large");
        assertThat(problem.path("field").asText()).isEqualTo("description");
        assertThat(problem.path("maxBytes").asLong()).isEqualTo(240 * 1024);
        assertThat(problem.path("detail").asText()).startsWith("the notification's description is 307202 bytes"
                + " once normalised; even with the payload stored apart its message would be ");
        assertThat(store.puts()).isZero();
        assertThat(bus.published()).isEmpty();
    }

    @Test
    void aNotificationThatFitsOnlyClaimCheckedIsStillClaimChecked() {
        // 200 KB in the payload and 200 KB in alertRule: too large whole, small enough with a reference
        IntakeResponse r = intake.handle(request(HostileInputs.commonWith("alertRule", "r".repeat(200 * 1024))));

        assertThat(r.status()).isEqualTo(202);
        assertThat(store.puts()).isEqualTo(1);
        AlertMessage m = bus.published().get(0);
        assertThat(m.properties()).containsEntry(ClaimCheck.PROPERTY, "true");
        assertThat(AlertMessages.size(m)).isLessThanOrEqualTo(240 * 1024);
    }

    @Test
    void theMessagesPropertiesCountTowardsItsSize() {
        PlatformEvent event = new io.alertrelay.domain.schema.AlertNormaliser().normalise(TENANT,
                HostileInputs.commonWith("monitoringService", "m".repeat(1000)));
        AlertMessage m = AlertMessages.of(event, PlatformEventCodec.toJson(event), false);

        assertThat(m.properties().get("monitoringService")).hasSize(AlertMessages.MAX_PROPERTY_CHARS);
        assertThat(AlertMessages.size(m)).isGreaterThan(m.body().length + AlertMessages.MAX_PROPERTY_CHARS);
        assertThat(AlertMessages.largestField(event).getKey()).isEqualTo("monitoringService");
    }

    @Test
    void aProblemBeyondALimitNamesWhereAndTheLimit() throws Exception {
        IntakeResponse r = intake.handle(request(HostileInputs.nestedObjects(200)));

        JsonNode problem = JSON.readTree(r.body());
        assertThat(r.status()).isEqualTo(400);
        assertThat(problem.path("type").asText()).endsWith("/nesting-too-deep");
        assertThat(problem.path("limit").asInt()).isEqualTo(Json.MAX_NOTIFICATION_DEPTH);
        assertThat(problem.path("line").asInt()).isEqualTo(1);
        assertThat(problem.path("column").asInt()).isPositive();
    }

    @Test
    void aSeverityBeyondAnIntIsAcceptedWithNoSeverity() {
        IntakeResponse r = intake.handle(request(HostileInputs.commonWithRaw("severity", "4294967298")));

        assertThat(r.status()).isEqualTo(202);
        assertThat(r.event().data().severity()).isNull();
        assertThat(bus.published().get(0).properties()).doesNotContainKey("severity");
    }

    private IntakeRequest request(byte[] body) {
        return new IntakeRequest(TENANT, tokens.tokenFor(TENANT), "application/json", body);
    }

    /** The claim-check store, counting what is put in it. */
    private static final class CountingPayloads implements PayloadStore {
        private final PayloadStore store;
        private final AtomicInteger puts = new AtomicInteger();

        CountingPayloads(PayloadStore store) {
            this.store = store;
        }

        @Override
        public void put(String tenant, String eventId, byte[] payload) {
            puts.incrementAndGet();
            store.put(tenant, eventId, payload);
        }

        @Override
        public Optional<byte[]> get(String tenant, String eventId) {
            return store.get(tenant, eventId);
        }

        int puts() {
            return puts.get();
        }
    }
}
