package io.alertrelay.domain;

import io.alertrelay.domain.schema.AlertNormaliser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.domain.AlertData.Deployment;
import io.alertrelay.domain.AlertData.Scale;
import org.junit.jupiter.api.Test;

/**
 * Rules the published samples do not exercise on their own (no sample is an ARM deployment, a Scale In or a
 * Resolved legacy metric alert), proven on variants derived in code from the samples, so the surrounding payload
 * stays exactly Azure's.
 */
class DerivedShapesTest {

    private static final String SUB = "/subscriptions/aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e";
    private static final String DEPLOYMENT = SUB + "/resourceGroups/test-RG/providers/Microsoft.Resources/deployments/web-release-42";

    private final AlertNormaliser normaliser = new AlertNormaliser();

    @Test
    void commonSchemaActivityLogDeploymentWriteIsADeploymentStatus() {
        ObjectNode body = Fixtures.tree("test-activitylog-administrative.json");
        ObjectNode context = (ObjectNode) body.path("data").path("alertContext");
        asDeploymentWrite(context, "Microsoft.Resources/deployments/write", "Failed");
        ((ObjectNode) body.path("data").path("essentials"))
                .put("firedDateTime", "2025-04-15T11:27:02.1234567Z")
                .putArray("alertTargetIDs").add(DEPLOYMENT.toLowerCase());

        PlatformEvent event = normaliser.normalise("contoso", Fixtures.toBytes(body));

        assertThat(event.type()).isEqualTo(EventType.DEPLOYMENT_STATUS);
        // the name keeps its case: it comes from the event's own fields, not the lower-cased alert target
        assertThat(event.data().deployment()).isEqualTo(new Deployment(
                "Failed", "web-release-42", "test-RG", "cccc2222-dd33-4444-55ee-666666ffffff", "user@contoso.com"));
        // the deployment happened at eventTimestamp; the alert fired a little later
        assertThat(UtcTime.format(event.time())).isEqualTo("2025-04-15T11:26:21.386Z");
        assertThat(event.data().firedAt()).isEqualTo("2025-04-15T11:27:02.1234567Z");
    }

    @Test
    void legacyActivityLogDeploymentWriteIsADeploymentStatusWhateverTheCaseOfTheOperation() {
        ObjectNode body = Fixtures.tree("legacy-activitylog-administrative-restart.json");
        ObjectNode activityLog = (ObjectNode) body.path("data").path("context").path("activityLog");
        asDeploymentWrite(activityLog, "microsoft.resources/DEPLOYMENTS/write", "succeeded");
        activityLog.put("resourceId", DEPLOYMENT);

        PlatformEvent event = normaliser.normalise("contoso", Fixtures.toBytes(body));

        assertThat(event.type()).isEqualTo(EventType.DEPLOYMENT_STATUS);
        assertThat(event.data().schema()).isEqualTo("activity-log");
        assertThat(event.data().deployment()).isEqualTo(new Deployment(
                "Succeeded", "web-release-42", "test-RG", "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa", "user-email@domain.com"));
        assertThat(event.subject()).isEqualTo(DEPLOYMENT.toLowerCase());
    }

    @Test
    void eachDeploymentStatusIsReportedInItsCanonicalSpelling() {
        for (String status : new String[] {"Started", "Accepted", "Succeeded", "Failed", "Canceled"}) {
            ObjectNode body = Fixtures.tree("legacy-activitylog-administrative-restart.json");
            asDeploymentWrite((ObjectNode) body.path("data").path("context").path("activityLog"),
                    "Microsoft.Resources/deployments/write", status.toUpperCase());

            PlatformEvent event = normaliser.normalise("contoso", Fixtures.toBytes(body));

            assertThat(event.data().deployment().status()).isEqualTo(status);
        }
    }

    @Test
    void autoscaleScaleInHasDirectionIn() {
        ObjectNode body = Fixtures.tree("autoscale-scale-out.json").put("operation", "Scale In");
        ((ObjectNode) body.path("context")).put("oldCapacity", "2").put("newCapacity", "1");

        PlatformEvent event = normaliser.normalise("contoso", Fixtures.toBytes(body));

        assertThat(event.type()).isEqualTo(EventType.AUTOSCALE_SCALED);
        assertThat(event.data().scale()).extracting(Scale::direction, Scale::oldCapacity, Scale::newCapacity)
                .containsExactly("in", 2, 1);
    }

    @Test
    void activityLogScaledownIsAnAutoscaleEventScalingIn() {
        ObjectNode body = Fixtures.tree("legacy-activitylog-administrative-restart.json");
        ObjectNode activityLog = (ObjectNode) body.path("data").path("context").path("activityLog");
        activityLog.put("operationName", "Microsoft.Insights/AutoscaleSettings/Scaledown/Action");
        ((ObjectNode) activityLog.path("properties")).put("oldInstancesCount", "5").put("newInstancesCount", "3");

        PlatformEvent event = normaliser.normalise("contoso", Fixtures.toBytes(body));

        assertThat(event.type()).isEqualTo(EventType.AUTOSCALE_SCALED);
        assertThat(event.data().scale()).extracting(Scale::direction, Scale::oldCapacity, Scale::newCapacity)
                .containsExactly("in", 5, 3);
    }

    @Test
    void legacyMetricAlertResolvedIsAResolvedAlertAtItsTimestamp() {
        ObjectNode body = Fixtures.tree("legacy-metric-static.json");
        ((ObjectNode) body.path("data")).put("status", "Resolved");

        PlatformEvent event = normaliser.normalise("contoso", Fixtures.toBytes(body));

        assertThat(event.type()).isEqualTo(EventType.ALERT_RESOLVED);
        assertThat(event.data().condition()).isEqualTo("Resolved");
        assertThat(event.data().resolvedAt()).isEqualTo("2021-11-15T09:35:12.9703687Z");
        assertThat(event.data().firedAt()).isNull();
    }

    @Test
    void classicMetricAlertDeactivatedIsResolved() {
        ObjectNode body = Fixtures.tree("legacy-classic-metric-alert.json").put("status", "Deactivated");

        PlatformEvent event = normaliser.normalise("contoso", Fixtures.toBytes(body));

        assertThat(event.type()).isEqualTo(EventType.ALERT_RESOLVED);
    }

    @Test
    void aResolvedCommonSchemaAlertKeepsBothItsTimes() {
        PlatformEvent event = normaliser.normalise("contoso", Fixtures.bytes("cs-full-metric-resolved.json"));

        assertThat(event.data().firedAt()).isEqualTo("2019-03-22T13:58:24.3713213Z");
        assertThat(event.data().resolvedAt()).isEqualTo("2019-03-22T14:03:16.2246313Z");
        assertThat(event.data().alertId())
                .isEqualTo("/subscriptions/<subscription ID>/providers/Microsoft.AlertsManagement/alerts/aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e");
    }

    @Test
    void activityLogLevelSpelledAsANameBecomesASeverity() {
        ObjectNode body = Fixtures.tree("legacy-activitylog-administrative-restart.json");
        ((ObjectNode) body.path("data").path("context").path("activityLog")).put("level", "Warning");

        assertThat(normaliser.normalise("contoso", Fixtures.toBytes(body)).data().severity()).isEqualTo("Sev2");
    }

    @Test
    void serviceHealthImpactedServicesAsAnArrayOrAsAStringGiveTheSameDetails() {
        ObjectNode asArray = Fixtures.tree("test-service-health.json");
        ObjectNode asString = asArray.deepCopy();
        ObjectNode properties = (ObjectNode) asString.path("data").path("alertContext").path("properties");
        properties.put("impactedServices", properties.path("impactedServices").toString());

        AlertData.Health fromArray = normaliser.normalise("contoso", Fixtures.toBytes(asArray)).data().health();
        AlertData.Health fromString = normaliser.normalise("contoso", Fixtures.toBytes(asString)).data().health();

        assertThat(fromString).isEqualTo(fromArray);
        assertThat(fromString.impactedServices()).containsExactly("AzureServiceName");
    }

    private static void asDeploymentWrite(ObjectNode event, String operationName, String status) {
        event.put("operationName", operationName).put("status", status);
        ((ObjectNode) event.path("authorization")).put("action", operationName).put("scope", DEPLOYMENT);
        ((ObjectNode) event.path("properties")).put("entity", DEPLOYMENT).put("message", operationName);
    }
}
