package io.alertrelay.local.runtime;

import static io.alertrelay.local.runtime.RuntimeHarness.post;
import static io.alertrelay.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.domain.StoredAlert;
import io.alertrelay.local.LocalRuntime;
import io.alertrelay.local.platform.Delivery;
import io.alertrelay.local.platform.SamplePlatformReceiver;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The onboarding loop on one machine (issue 15, point 5): the notifications the rules of
 * infra/onboarding/customer-subscription.json produce — Microsoft's samples, and a deployment's Started and Succeeded
 * built from the administrative one (OnboardingPayloads) — posted to the real local runtime's webhook for one tenant,
 * through the Service Bus emulator, the dequeuer and the store, to the sample receiver that verifies every signature.
 * The receiver records each event's type and tenant; the data fields are read from the stored documents' event.
 */
class OnboardingEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TENANT = "contoso";

    @TempDir
    Path dir;
    private LocalRuntime runtime;

    @BeforeEach
    void start() {
        runtime = LocalRuntime.start(RuntimeHarness.options(RuntimeHarness.project(dir), dir.resolve("data")).build());
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    @Test
    void bothStatusesOfOneDeploymentArriveAsDeploymentStatusEventsWithOneCorrelationId() {
        // Azure gives no order: the Succeeded may well come first. Both are delivered, each its own event.
        JsonNode succeeded = deliver(OnboardingPayloads.deployment("Succeeded", "11111111-aaaa-bbbb-cccc-000000000002",
                "2025-04-15T11:29:47.102Z", "dddd3333-ee44-5555-66ff-000000000002"), "io.alertrelay.deployment.status");
        JsonNode started = deliver(OnboardingPayloads.deployment("Started", "11111111-aaaa-bbbb-cccc-000000000001",
                "2025-04-15T11:26:21.386Z", "dddd3333-ee44-5555-66ff-000000000001"), "io.alertrelay.deployment.status");

        assertThat(started.path("id").asText()).isNotEqualTo(succeeded.path("id").asText());
        assertThat(started.at("/data/deployment/status").asText()).isEqualTo("Started");
        assertThat(succeeded.at("/data/deployment/status").asText()).isEqualTo("Succeeded");
        for (JsonNode event : new JsonNode[] {started, succeeded}) {
            JsonNode deployment = event.at("/data/deployment");
            assertThat(deployment.path("correlationId").asText()).isEqualTo(OnboardingPayloads.CORRELATION_ID);
            assertThat(deployment.path("name").asText()).isEqualTo(OnboardingPayloads.DEPLOYMENT_NAME);
            assertThat(deployment.path("resourceGroup").asText()).isEqualTo("test-RG");
            assertThat(deployment.path("caller").asText()).isEqualTo("user@contoso.com");
            assertThat(event.path("subject").asText()).isEqualTo(OnboardingPayloads.DEPLOYMENT_ID.toLowerCase());
        }
        assertThat(started.path("time").asText()).isEqualTo("2025-04-15T11:26:21.386Z");
        assertThat(succeeded.path("time").asText()).isEqualTo("2025-04-15T11:29:47.102Z");
        assertSignedAndCounted(2);
    }

    @Test
    void scaleActionsFromTheActivityLogRuleAndFromAnAutoscaleWebhookArriveAsAutoscaleScaledEvents() {
        JsonNode up = deliver(OnboardingPayloads.autoscaleActivityLog(true, "22222222-aaaa-bbbb-cccc-000000000001"),
                "io.alertrelay.autoscale.scaled");
        JsonNode down = deliver(OnboardingPayloads.autoscaleActivityLog(false, "22222222-aaaa-bbbb-cccc-000000000002"),
                "io.alertrelay.autoscale.scaled");
        JsonNode webhook = deliver(OnboardingPayloads.autoscaleWebhook(), "io.alertrelay.autoscale.scaled");

        assertThat(up.at("/data/scale/direction").asText()).isEqualTo("out");
        assertThat(up.at("/data/scale/oldCapacity").asInt()).isEqualTo(9);
        assertThat(up.at("/data/scale/newCapacity").asInt()).isEqualTo(10);
        assertThat(up.at("/data/scale/autoscaleSettingId").asText()).isEqualTo(OnboardingPayloads.AUTOSCALE_SETTING_ID);
        assertThat(up.at("/data/scale/targetResourceId").asText())
                .endsWith("/providers/Microsoft.Compute/virtualMachineScaleSets/alexademo");
        assertThat(up.at("/data/deployment").isNull()).isTrue();
        assertThat(down.at("/data/scale/direction").asText()).isEqualTo("in");
        assertThat(down.at("/data/scale/newCapacity").asInt()).isEqualTo(9);
        assertThat(webhook.at("/data/schema").asText()).isEqualTo("autoscale");
        assertThat(webhook.at("/data/scale/direction").asText()).isEqualTo("out");
        assertThat(webhook.at("/data/scale/oldCapacity").asInt()).isEqualTo(1);
        assertThat(webhook.at("/data/scale/newCapacity").asInt()).isEqualTo(2);
        assertThat(webhook.at("/data/scale/autoscaleSettingId").asText()).isEqualTo("/subscriptions/"
                + "aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e/resourceGroups/rg-001/providers/microsoft.insights/autoscalesettings/"
                + "AutoscaleSettings-002");
        assertThat(webhook.at("/data/scale/targetResourceId").asText()).endsWith("/serverfarms/ScaleableAppServicePlan");
        assertSignedAndCounted(3);
    }

    @Test
    void healthEventsAndTheTestActionGroupsActivityLogSampleArriveAsAlertsWithTheirDetails() {
        JsonNode service = deliver(OnboardingPayloads.serviceHealth(), "io.alertrelay.alert.fired");
        JsonNode unavailable = deliver(OnboardingPayloads.resourceHealthUnavailable(), "io.alertrelay.alert.fired");
        JsonNode available = deliver(OnboardingPayloads.resourceHealthAvailable(), "io.alertrelay.alert.fired");
        // "Test action group" with the "Activity log alert" sample sends this VM restart: not a deployment.
        JsonNode administrative = deliver(OnboardingPayloads.administrative(), "io.alertrelay.alert.fired");

        assertThat(service.at("/data/health/incidentType").asText()).isEqualTo("Incident");
        assertThat(service.at("/data/health/trackingId").asText()).isEqualTo("TEST-TTT");
        assertThat(service.at("/data/health/stage").asText()).isEqualTo("Resolved");
        assertThat(service.at("/data/health/impactedServices")).extracting(JsonNode::asText).containsExactly("AzureServiceName");
        assertThat(unavailable.at("/data/health/status").asText()).isEqualTo("Unavailable");
        assertThat(unavailable.at("/data/health/incidentType").asText()).isEqualTo("Downtime");
        assertThat(available.at("/data/health/status").asText()).isEqualTo("Available");
        assertThat(available.path("subject").asText()).isEqualTo(unavailable.path("subject").asText());
        assertThat(administrative.at("/data/deployment").isNull()).isTrue();
        assertThat(administrative.at("/data/monitoringService").asText()).isEqualTo("Activity Log - Administrative");
        assertSignedAndCounted(4);
    }

    /** Posts for the tenant, waits for delivery, checks what the receiver recorded; the stored document's event. */
    private JsonNode deliver(byte[] notification, String type) {
        HttpResponse<String> r = post(runtime, TENANT, notification);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode answer = RuntimeHarnessJson.row(r.body());
        String id = answer.path("id").asText();
        assertThat(answer.path("type").asText()).isEqualTo(type);

        StoredAlert doc = await("event " + id + " to be delivered", WAIT,
                () -> runtime.store().documents().find(TENANT, id).orElse(null),
                d -> d != null && d.status() == DeliveryStatus.DELIVERED);
        Delivery delivery = runtime.receiver().orElseThrow().delivery(id).orElseThrow();
        assertThat(delivery.type()).isEqualTo(type);
        assertThat(delivery.tenant()).isEqualTo(TENANT);
        JsonNode event = doc.event().isTextual() ? RuntimeHarnessJson.row(doc.event().asText()) : doc.event();
        assertThat(event.path("type").asText()).isEqualTo(type);
        assertThat(event.path("tenant").asText()).isEqualTo(TENANT);
        assertThat(event.path("id").asText()).isEqualTo(id);
        return event;
    }

    private void assertSignedAndCounted(int events) {
        SamplePlatformReceiver receiver = runtime.receiver().orElseThrow();
        assertThat(receiver.deliveryCount()).isEqualTo(events);
        assertThat(receiver.stats().badSignatures()).isZero();
        assertThat(receiver.deliveries()).extracting(Delivery::tenant).containsOnly(TENANT);
    }
}
