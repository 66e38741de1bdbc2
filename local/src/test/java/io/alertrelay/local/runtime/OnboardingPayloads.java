package io.alertrelay.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The notifications the onboarding template's rules (infra/onboarding/customer-subscription.json) make Azure Monitor
 * send, from Microsoft's published samples in ../shared/fixtures/azure-monitor: verbatim where a sample exists, and
 * derived from one where it does not (a deployment's Started and Succeeded from the administrative sample, an
 * activity-log Autoscale notification from the published alertContext fragment in the same envelope, a Resource Health
 * recovery from the Resource Health sample). Each derived field is set here, in the open.
 */
final class OnboardingPayloads {

    static final String SUBSCRIPTION = "aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e";
    /** The administrative sample's correlation id: every event of one deployment shares it. */
    static final String CORRELATION_ID = "cccc2222-dd33-4444-55ee-666666ffffff";
    static final String DEPLOYMENT_NAME = "web-release-42";
    /** The deployment's id as ARM writes it in the event (resource group in its own case). */
    static final String DEPLOYMENT_ID = "/subscriptions/" + SUBSCRIPTION
            + "/resourceGroups/test-RG/providers/Microsoft.Resources/deployments/" + DEPLOYMENT_NAME;
    static final String AUTOSCALE_SETTING_ID = "/subscriptions/" + SUBSCRIPTION
            + "/resourceGroups/testRG/providers/microsoft.insights/autoscalesettings/testVMSS-autoscale";

    private static final ObjectMapper JSON = new ObjectMapper();

    private OnboardingPayloads() {
    }

    /** Microsoft's activity-log administrative sample (a VM restart), verbatim: what "Test action group" sends. */
    static byte[] administrative() {
        return Fixtures.bytes("test-activitylog-administrative.json");
    }

    /**
     * One event of a deployment, from the administrative sample: the rule's operation, the deployment as the event's
     * scope and entity, its own alert instance (each activity-log event fires its own alert), time and event id; the
     * correlation id is the sample's for every status.
     */
    static byte[] deployment(String status, String alertGuid, String eventTimestamp, String eventDataId) {
        ObjectNode payload = fixture("test-activitylog-administrative.json");
        ObjectNode essentials = (ObjectNode) payload.at("/data/essentials");
        essentials.put("alertId", "/subscriptions/" + SUBSCRIPTION + "/providers/Microsoft.AlertsManagement/alerts/" + alertGuid);
        essentials.put("alertRule", "alert-relay-deployments");
        essentials.putArray("alertTargetIDs").add(DEPLOYMENT_ID.toLowerCase(java.util.Locale.ROOT));
        essentials.putArray("configurationItems").add(DEPLOYMENT_NAME);
        essentials.put("firedDateTime", eventTimestamp);
        essentials.put("description", "Alert Relay (tenant contoso): every status of every ARM deployment in the subscription.");
        ObjectNode context = (ObjectNode) payload.at("/data/alertContext");
        ((ObjectNode) context.get("authorization")).put("action", "Microsoft.Resources/deployments/write")
                .put("scope", DEPLOYMENT_ID);
        context.put("operationName", "Microsoft.Resources/deployments/write");
        context.put("status", status);
        context.put("eventTimestamp", eventTimestamp);
        context.put("submissionTimestamp", eventTimestamp);
        context.put("eventDataId", eventDataId);
        context.put("correlationId", CORRELATION_ID);
        ((ObjectNode) context.get("properties")).put("entity", DEPLOYMENT_ID)
                .put("message", "Microsoft.Resources/deployments/write");
        return bytes(payload);
    }

    /**
     * An activity-log Autoscale notification: Microsoft publishes only its alertContext (a scale-up of a VM scale set
     * from 9 to 10); here it sits in the administrative sample's common-schema envelope, as the autoscale rule sends it.
     * A scale-down swaps the operation and the counts.
     */
    static byte[] autoscaleActivityLog(boolean up, String alertGuid) {
        ObjectNode payload = fixture("test-activitylog-administrative.json");
        ObjectNode essentials = (ObjectNode) payload.at("/data/essentials");
        essentials.put("alertId", "/subscriptions/" + SUBSCRIPTION + "/providers/Microsoft.AlertsManagement/alerts/" + alertGuid);
        essentials.put("alertRule", "alert-relay-autoscale");
        essentials.put("monitoringService", "Activity Log - Autoscale");
        essentials.putArray("alertTargetIDs").add(AUTOSCALE_SETTING_ID);
        essentials.putArray("configurationItems").add("testVMSS-autoscale");
        essentials.put("description", "Alert Relay (tenant contoso): completed autoscale scale-up and scale-down actions"
                + " in the subscription.");
        ObjectNode context = (ObjectNode) fixture("cs-ctx-activitylog-autoscale.json").get("alertContext").deepCopy();
        essentials.put("firedDateTime", context.path("eventTimestamp").asText());
        if (!up) {
            context.put("operationName", "Microsoft.Insights/AutoscaleSettings/Scaledown/Action");
            ((ObjectNode) context.get("properties")).put("oldInstancesCount", "10").put("newInstancesCount", "9");
        }
        ((ObjectNode) payload.get("data")).set("alertContext", context);
        return bytes(payload);
    }

    /** An autoscale setting's own webhook notification, Microsoft's sample verbatim (scale out from 1 to 2). */
    static byte[] autoscaleWebhook() {
        return Fixtures.bytes("autoscale-scale-out.json");
    }

    /** Microsoft's Service Health sample (an incident), verbatim. */
    static byte[] serviceHealth() {
        return Fixtures.bytes("test-service-health.json");
    }

    /** Microsoft's Resource Health sample (a VM Unavailable after a user reboot), verbatim. */
    static byte[] resourceHealthUnavailable() {
        return Fixtures.bytes("test-resource-health.json");
    }

    /** The same VM back to Available, from the Resource Health sample: a later event, its own alert instance. */
    static byte[] resourceHealthAvailable() {
        ObjectNode payload = fixture("test-resource-health.json");
        ObjectNode essentials = (ObjectNode) payload.at("/data/essentials");
        essentials.put("alertId", "/subscriptions/" + SUBSCRIPTION
                + "/providers/Microsoft.AlertsManagement/alerts/ffffffff-5555-6666-7777-aaaaaaaaaaaa");
        essentials.put("firedDateTime", "2025-04-15T18:24:02.117Z");
        ObjectNode context = (ObjectNode) payload.at("/data/alertContext");
        context.put("operationName", "Microsoft.Resourcehealth/healthevent/Resolved/action");
        context.put("status", "Resolved");
        context.put("eventTimestamp", "2025-04-15T18:24:02.117Z");
        context.put("submissionTimestamp", "2025-04-15T18:24:02.117Z");
        context.put("eventDataId", "ffffffff-5555-6666-7777-aaaaaaaaaaaa");
        ((ObjectNode) context.get("properties")).put("title", "Available")
                .put("currentHealthStatus", "Available").put("previousHealthStatus", "Unavailable");
        return bytes(payload);
    }

    static ObjectNode fixture(String name) {
        try {
            return (ObjectNode) JSON.readTree(Fixtures.bytes(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(JsonNode payload) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
