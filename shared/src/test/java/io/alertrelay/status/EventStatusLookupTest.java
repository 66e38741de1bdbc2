package io.alertrelay.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.alertrelay.http.HttpAnswer;
import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.domain.StoredAlert;
import io.alertrelay.testing.InMemoryStore;
import io.alertrelay.testing.FailingStore;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventStatusLookupTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final InMemoryStore store = new InMemoryStore();
    private final EventStatusLookup lookup = new EventStatusLookup(store);

    @Test
    void aStoredEventAnswersItsStatusFieldsAndNeverItsPayload() throws Exception {
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        JsonNode event = JsonNodeFactory.instance.objectNode().put("secretish", "payload-content");
        store.createIfAbsent(new StoredAlert("contoso.abc", "contoso", "io.alertrelay.probe", "k", "Fired",
                DeliveryStatus.DELIVERED, 1, t, t, t, null, event, null));

        HttpAnswer a = lookup.lookup("contoso", "contoso.abc");

        assertThat(a.status()).isEqualTo(200);
        JsonNode body = JSON.readTree(a.body());
        assertThat(body.path("status").asText()).isEqualTo("delivered");
        assertThat(body.path("type").asText()).isEqualTo("io.alertrelay.probe");
        assertThat(body.path("deliveredAt").asText()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(a.body()).doesNotContain("payload-content");
    }

    @Test
    void anEventNotStoredYetIsA404Problem() {
        HttpAnswer a = lookup.lookup("contoso", "contoso.missing");

        assertThat(a.status()).isEqualTo(404);
        assertThat(a.headers()).containsEntry("Content-Type", "application/problem+json");
    }

    @Test
    void aBadTenantOrIdIsA400() {
        assertThat(lookup.lookup("Contoso!", "x").status()).isEqualTo(400);
        assertThat(lookup.lookup("contoso", "../etc").status()).isEqualTo(400);
        assertThat(lookup.lookup("contoso", "a".repeat(129)).status()).isEqualTo(400);
    }

    @Test
    void aStoreFailureIsA503WithRetryAfter() {
        HttpAnswer a = new EventStatusLookup(FailingStore.unavailable()).lookup("contoso", "contoso.x");

        assertThat(a.status()).isEqualTo(503);
        assertThat(a.headers()).containsKey("Retry-After");
        assertThat(a.body()).doesNotContain("(test)");
    }
}
