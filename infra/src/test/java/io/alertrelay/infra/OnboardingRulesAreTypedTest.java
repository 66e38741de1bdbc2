package io.alertrelay.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.domain.EventType;
import io.alertrelay.domain.PlatformEvent;
import io.alertrelay.domain.schema.AlertNormaliser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The strings the onboarding template's rules match on are the ones Alert Relay's normaliser types: a notification that
 * a rule lets through (Microsoft's published samples, with the rule's operation, incident type or health status put in)
 * becomes the event docs/onboarding.md promises. The full loop, over HTTP and the bus, is local's OnboardingEndToEndTest.
 */
class OnboardingRulesAreTypedTest {

    private static final Path FIXTURES = Infra.root().resolve("../shared/fixtures/azure-monitor").normalize();
    private final AlertNormaliser normaliser = new AlertNormaliser();

    @Test
    void theDeploymentRulesOperationIsTypedDeploymentStatus() {
        String operation = only(OnboardingTemplateTest.condition("alert-relay-deployments").get("operationName"));
        ObjectNode payload = fixture("test-activitylog-administrative.json");
        ((ObjectNode) payload.at("/data/alertContext")).put("operationName", operation);

        PlatformEvent event = normaliser.normalise("contoso", bytes(payload));

        assertThat(event.type()).isEqualTo(EventType.DEPLOYMENT_STATUS);
        assertThat(event.data().deployment().status()).isEqualTo("Succeeded");
        assertThat(event.data().deployment().correlationId()).isEqualTo("cccc2222-dd33-4444-55ee-666666ffffff");
    }

    @Test
    void theAutoscaleRulesOperationsAreTypedAutoscaleScaledOutAndIn() {
        for (String operation : OnboardingTemplateTest.condition("alert-relay-autoscale").get("operationName")) {
            ObjectNode payload = fixture("test-activitylog-administrative.json");
            // The published Autoscale sample is an alertContext fragment: put it in the administrative sample's envelope.
            ((ObjectNode) payload.get("data")).set("alertContext", fixture("cs-ctx-activitylog-autoscale.json").get("alertContext"));
            ((ObjectNode) payload.at("/data/alertContext")).put("operationName", operation);

            PlatformEvent event = normaliser.normalise("contoso", bytes(payload));

            assertThat(event.type()).as(operation).isEqualTo(EventType.AUTOSCALE_SCALED);
            assertThat(event.data().scale().direction()).as(operation)
                    .isEqualTo(operation.contains("Scaleup") ? "out" : "in");
            assertThat(event.data().scale().newCapacity()).isEqualTo(10);
        }
    }

    @Test
    void everyServiceHealthIncidentTypeOfTheRuleReachesDataHealth() {
        for (String incidentType : OnboardingTemplateTest.condition("alert-relay-service-health")
                .get("properties.incidentType")) {
            ObjectNode payload = fixture("test-service-health.json");
            ((ObjectNode) payload.at("/data/alertContext/properties")).put("incidentType", incidentType);

            PlatformEvent event = normaliser.normalise("contoso", bytes(payload));

            assertThat(event.type()).as(incidentType).isEqualTo(EventType.ALERT_FIRED);
            assertThat(event.data().health().incidentType()).isEqualTo(incidentType);
            assertThat(event.data().health().trackingId()).isEqualTo("TEST-TTT");
        }
    }

    @Test
    void everyResourceHealthStatusOfTheRulesReachesDataHealth() {
        var statuses = new java.util.TreeSet<String>();
        statuses.addAll(OnboardingTemplateTest.condition("alert-relay-resource-health-impaired").get("properties.currentHealthStatus"));
        statuses.addAll(OnboardingTemplateTest.condition("alert-relay-resource-health-recovered").get("properties.currentHealthStatus"));
        assertThat(statuses).containsExactly("Available", "Degraded", "Unavailable");
        for (String status : statuses) {
            ObjectNode payload = fixture("test-resource-health.json");
            ((ObjectNode) payload.at("/data/alertContext/properties")).put("currentHealthStatus", status);

            PlatformEvent event = normaliser.normalise("contoso", bytes(payload));

            assertThat(event.type()).as(status).isEqualTo(EventType.ALERT_FIRED);
            assertThat(event.data().health().status()).isEqualTo(status);
        }
    }

    private static String only(java.util.Set<String> values) {
        assertThat(values).hasSize(1);
        return values.iterator().next();
    }

    private static ObjectNode fixture(String name) {
        return (ObjectNode) Infra.readJson(FIXTURES.resolve(name));
    }

    private static byte[] bytes(JsonNode payload) {
        try {
            return Infra.JSON.writeValueAsBytes(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
