package io.alertrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.domain.AlertMessage;
import io.alertrelay.domain.DeliveryOutcome;
import io.alertrelay.domain.Json;
import io.alertrelay.intake.AlertIntake;
import io.alertrelay.intake.IntakeRequest;
import io.alertrelay.intake.TenantTokens;
import io.alertrelay.settings.Secret;
import io.alertrelay.testing.InMemoryStore;
import io.alertrelay.testing.RecordingPublisher;
import io.alertrelay.testing.ScriptedPlatformClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The platform receives the numbers Azure sent, digit for digit, whether the event rode inline on the message or
 * was claim-checked through the store: one JSON model (the domain's) reads and writes them everywhere.
 */
class PayloadExactnessTest {

    private static final String NUMBERS = "\"capacity\":7.50,\"big\":12345678901234567890.123456789,\"huge\":1e400";

    @ParameterizedTest(name = "claim-checked: {0}")
    @ValueSource(booleans = {false, true})
    void numbersArriveExactlyAsSent(boolean claimChecked) {
        TenantTokens tokens = new TenantTokens(List.of(new Secret("k")));
        InMemoryStore store = new InMemoryStore();
        RecordingPublisher bus = new RecordingPublisher();
        ScriptedPlatformClient platform = new ScriptedPlatformClient().then(DeliveryOutcome.delivered(200, 1));
        // Padding pushes the claim-checked variant over the message limit.
        String padding = claimChecked ? ",\"padding\":\"" + "x".repeat(4000) + "\"" : "";
        byte[] body = ("{\"alertName\":\"exact\"," + NUMBERS + padding + "}").getBytes(StandardCharsets.UTF_8);

        AlertIntake intake = AlertIntake.builder().tokens(tokens).publisher(bus).claimCheckStore(store)
                .maxMessageBytes(2048).build();
        assertThat(intake.handle(new IntakeRequest("contoso", tokens.tokenFor("contoso"), "application/json", body))
                .status()).isEqualTo(202);
        AlertMessage message = bus.published().get(0);
        assertThat(message.properties().containsKey("claimCheck")).isEqualTo(claimChecked);

        AlertDelivery.builder().store(store, store, store, store.registry()).platform(platform).build()
                .handle(new DequeuedMessage(message.body(), message.messageId(), 1, Map.copyOf(message.properties())));

        String delivered = new String(platform.bodies().get(0), StandardCharsets.UTF_8);
        assertThat(delivered).contains("\"capacity\":7.50");
        JsonNode payload = Json.readTree(delivered).path("data").path("payload");
        assertThat(payload.get("big").decimalValue()).isEqualByComparingTo("12345678901234567890.123456789");
        assertThat(payload.get("huge").decimalValue()).isEqualByComparingTo("1e400");
    }
}
