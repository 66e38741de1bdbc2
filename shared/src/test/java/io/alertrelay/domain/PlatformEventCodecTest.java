package io.alertrelay.domain;

import io.alertrelay.domain.schema.AlertNormaliser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The platform event on the wire: CloudEvents 1.0 structured JSON with exactly the attributes of DESIGN §3. */
class PlatformEventCodecTest {

    private static final AlertNormaliser NORMALISER =
            new AlertNormaliser(Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC));

    static Stream<String> validFixtures() {
        return Fixtures.jsonFiles().stream().filter(n -> !n.equals("legacy-activitylog-common-skeleton.json"));
    }

    private static PlatformEvent event(String fixture) {
        return NORMALISER.normalise("contoso", Fixtures.bytes(fixture));
    }

    private static JsonNode json(PlatformEvent event) {
        return Fixtures.parse(PlatformEventCodec.toJson(event));
    }

    @Test
    void theEventIsStructuredCloudEventsJson() {
        assertThat(PlatformEventCodec.CONTENT_TYPE).isEqualTo("application/cloudevents+json");
    }

    @Test
    void theSerialisedEventHasExactlyTheDesignAttributes() {
        PlatformEvent event = event("cs-full-metric-resolved.json");

        JsonNode json = json(event);

        assertThat(fieldNames(json)).containsExactlyInAnyOrder(
                "specversion", "id", "source", "type", "time", "subject", "tenant", "datacontenttype", "data");
        assertThat(json.get("specversion").asText()).isEqualTo("1.0");
        assertThat(json.get("id").asText()).isEqualTo(event.id());
        assertThat(json.get("source").asText()).isEqualTo("/tenants/contoso/azure-monitor");
        assertThat(json.get("type").asText()).isEqualTo("io.alertrelay.alert.resolved");
        assertThat(json.get("time").asText()).isEqualTo("2019-03-22T14:03:16.2246313Z");
        assertThat(json.get("subject").asText()).isEqualTo(
                "/subscriptions/<subscription id>/resourcegroups/pipelinealertrg/providers/microsoft.compute/virtualmachines/wcus-r2-gen2");
        assertThat(json.get("tenant").asText()).isEqualTo("contoso");
        assertThat(json.get("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(json.get("data").isObject()).isTrue();
    }

    @Test
    void dataHasEveryAlertDataFieldNullsIncluded() {
        JsonNode data = json(event("cs-full-metric-resolved.json")).get("data");

        List<String> alertDataFields = Arrays.stream(AlertData.class.getRecordComponents()).map(c -> c.getName()).toList();
        assertThat(fieldNames(data)).containsExactlyElementsOf(alertDataFields);
        assertThat(data.get("description").isNull()).isTrue();
        assertThat(data.get("deployment").isNull()).isTrue();
        assertThat(data.get("scale").isNull()).isTrue();
        assertThat(data.get("health").isNull()).isTrue();
        assertThat(data.get("budget").isNull()).isTrue();
    }

    @Test
    void detailsHaveEveryFieldNullsIncludedAndNumbersAsNumbers() {
        JsonNode budget = json(event("test-budget.json")).get("data").get("budget");
        JsonNode scale = json(event("autoscale-scale-out.json")).get("data").get("scale");

        assertThat(fieldNames(budget)).containsExactlyElementsOf(
                Arrays.stream(AlertData.Budget.class.getRecordComponents()).map(c -> c.getName()).toList());
        assertThat(budget.get("resourceGroup").isNull()).isTrue();
        assertThat(budget.get("spent").isNumber()).isTrue();
        assertThat(budget.get("spent").asDouble()).isEqualTo(999.99);
        assertThat(scale.get("oldCapacity").isInt()).isTrue();
        assertThat(scale.get("newCapacity").asInt()).isEqualTo(2);
    }

    @Test
    void anEventWithoutSubjectLeavesTheOptionalAttributeOut() {
        JsonNode json = json(event("legacy-log-appinsights-2018.json"));

        assertThat(json.has("subject")).isFalse();
        assertThat(PlatformEventCodec.fromJson(PlatformEventCodec.toJson(event("legacy-log-appinsights-2018.json"))).subject())
                .isNull();
    }

    @Test
    void thePayloadIsTheOriginalNotificationWithItsNumbersAsWritten() {
        String json = new String(PlatformEventCodec.toJson(event("legacy-budget.json")), StandardCharsets.UTF_8);
        String log = new String(PlatformEventCodec.toJson(event("test-log-v2.json")), StandardCharsets.UTF_8);

        assertThat(json).contains("\"NotificationThresholdAmount\":\"8000.0\"");
        assertThat(log).contains("\"metricValue\":3.0");
    }

    @ParameterizedTest
    @MethodSource("validFixtures")
    void everyNormalisedFixtureRoundTripsLosslessly(String fixture) {
        PlatformEvent event = event(fixture);

        byte[] json = PlatformEventCodec.toJson(event);
        PlatformEvent read = PlatformEventCodec.fromJson(json);

        assertThat(read).isEqualTo(event);
        assertThat(PlatformEventCodec.toJson(read)).isEqualTo(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "not json",
            "[]",
            "{}",
            // a CloudEvent, but not one of ours: unknown type, no tenant
            "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"/s\",\"type\":\"com.example.other\",\"time\":\"2020-01-01T00:00:00Z\",\"tenant\":\"contoso\",\"data\":{}}",
            "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"/tenants/contoso/azure-monitor\",\"type\":\"io.alertrelay.alert.fired\",\"time\":\"2020-01-01T00:00:00Z\",\"data\":{}}",
            // ours but without time, or with data that is not an object
            "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"/tenants/contoso/azure-monitor\",\"type\":\"io.alertrelay.alert.fired\",\"tenant\":\"contoso\",\"data\":{}}",
            "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"/tenants/contoso/azure-monitor\",\"type\":\"io.alertrelay.alert.fired\",\"time\":\"2020-01-01T00:00:00Z\",\"tenant\":\"contoso\",\"datacontenttype\":\"application/json\",\"data\":[1]}",
    })
    void anUnreadableMessageIsAClearError(String message) {
        assertThatThrownBy(() -> PlatformEventCodec.fromJson(message.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageStartingWith("Unreadable platform event: ");
    }

    @Test
    void aSourceThatDoesNotMatchTheTenantIsUnreadable() {
        ObjectNode json = (ObjectNode) json(event("test-metric-static.json"));
        json.put("source", "/tenants/fabrikam/azure-monitor");

        assertThatThrownBy(() -> PlatformEventCodec.fromJson(Fixtures.toBytes(json)))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("source");
    }

    @Test
    void fieldsAddedByANewerWriterDoNotMakeTheEventUnreadable() {
        PlatformEvent event = event("test-metric-static.json");
        ObjectNode json = (ObjectNode) json(event);
        ((ObjectNode) json.get("data")).put("addedLater", "x");

        assertThat(PlatformEventCodec.fromJson(Fixtures.toBytes(json))).isEqualTo(event);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
