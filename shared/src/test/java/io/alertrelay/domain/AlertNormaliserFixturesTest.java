package io.alertrelay.domain;

import io.alertrelay.domain.schema.AlertNormaliser;

import static io.alertrelay.domain.EventType.ALERT_FIRED;
import static io.alertrelay.domain.EventType.ALERT_RESOLVED;
import static io.alertrelay.domain.EventType.AUTOSCALE_SCALED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.domain.AlertData.Budget;
import io.alertrelay.domain.AlertData.Deployment;
import io.alertrelay.domain.AlertData.Health;
import io.alertrelay.domain.AlertData.Scale;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every published Azure Monitor payload, normalised: one row per fixture file (the {@code cs-ctx-*} alertContext
 * fragments twice: as posted alone, and wrapped into a full common-schema notification), with the values read
 * from the fixture by hand.
 */
class AlertNormaliserFixturesTest {

    private static final String TENANT = "contoso";
    /** The time of receipt: what notifications that carry no time of their own get as event time. */
    private static final Instant RECEIVED = Instant.parse("2030-01-01T00:00:00Z");
    private static final AlertNormaliser NORMALISER = new AlertNormaliser(Clock.fixed(RECEIVED, ZoneOffset.UTC));

    private static final String SUB = "/subscriptions/aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e";
    private static final String TEST_VM = SUB + "/resourcegroups/test-RG/providers/microsoft.compute/virtualmachines/test-VM";
    private static final String TEST_WORKSPACE =
            SUB + "/resourcegroups/test-RG/providers/microsoft.operationalinsights/workspaces/test-logAnalyticsWorkspace";

    private static final String AUTOSCALE_SETTING =
            "/subscriptions/<GUID>/resourceGroups/voiceassistancedemo/providers/microsoft.insights/autoscalesettings/alexademo-autoscale";
    private static final String AUTOSCALE_ESSENTIALS = """
            {
              "alertId": "/subscriptions/<GUID>/providers/Microsoft.AlertsManagement/alerts/3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f",
              "alertRule": "vmss-scale-events",
              "severity": "Sev4",
              "signalType": "Activity Log",
              "monitorCondition": "Fired",
              "monitoringService": "Activity Log - Autoscale",
              "alertTargetIDs": ["%s"],
              "configurationItems": ["alexademo-autoscale"],
              "originAlertId": "<GUID>",
              "firedDateTime": "2019-08-21T16:18:49.0343721Z",
              "description": "",
              "essentialsVersion": "1.0",
              "alertContextVersion": "1.0"
            }""".formatted(AUTOSCALE_SETTING);

    private static final String PROMETHEUS_WORKSPACE = "/subscriptions/<subscription ID>/resourcegroups/myResourceGroup"
            + "/providers/microsoft.monitor/accounts/myAzureMonitorWorkspace";
    private static final String PROMETHEUS_ESSENTIALS = """
            {
              "alertId": "/subscriptions/<subscription ID>/providers/Microsoft.AlertsManagement/alerts/9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
              "alertRule": "SQL availability",
              "severity": "Sev2",
              "signalType": "Metric",
              "monitorCondition": "Fired",
              "monitoringService": "Prometheus",
              "alertTargetIDs": ["%s"],
              "configurationItems": ["myCluster1"],
              "originAlertId": "<GUID>",
              "firedDateTime": "2023-06-06T09:55:41.3497549Z",
              "description": "alert on SQL availability",
              "essentialsVersion": "1.0",
              "alertContextVersion": "1.0"
            }""".formatted(PROMETHEUS_WORKSPACE);

    private static final String SERVICE_HEALTH_ESSENTIALS = """
            {
              "alertId": "%s/providers/Microsoft.AlertsManagement/alerts/0f1e2d3c-4b5a-4697-8877-665544332211",
              "alertRule": "synapse-maintenance",
              "severity": "Sev4",
              "signalType": "Activity Log",
              "monitorCondition": "Fired",
              "monitoringService": "ServiceHealth",
              "alertTargetIDs": ["%s"],
              "originAlertId": "<GUID>",
              "firedDateTime": "2019-06-24T11:31:31.7147357+00:00",
              "description": "",
              "essentialsVersion": "1.0",
              "alertContextVersion": "1.0"
            }""".formatted(SUB, SUB);

    static List<Row> table() {
        return List.of(
                row("autoscale-scale-out.json")
                        .schema("autoscale").type(AUTOSCALE_SCALED).severity(null).condition("Fired")
                        .time("2023-06-22T07:01:47.8926726Z")
                        .alertRule("AutoscaleSettings-002").monitoringService("Autoscale").signalType(null)
                        .targets("/subscriptions/a0a0a0a0-bbbb-cccc-dddd-e1e1e1e1e1e1/resourceGroups/rg-001/providers/Microsoft.Web/serverfarms/ScaleableAppServicePlan")
                        .scale(new Scale("out", 1, 2,
                                SUB + "/resourceGroups/rg-001/providers/microsoft.insights/autoscalesettings/AutoscaleSettings-002",
                                "/subscriptions/a0a0a0a0-bbbb-cccc-dddd-e1e1e1e1e1e1/resourceGroups/rg-001/providers/Microsoft.Web/serverfarms/ScaleableAppServicePlan")),

                customRow("cs-ctx-activitylog-autoscale.json"),
                wrappedRow("cs-ctx-activitylog-autoscale.json", AUTOSCALE_ESSENTIALS)
                        .schema("common").type(AUTOSCALE_SCALED).severity("Sev4").condition("Fired")
                        // a scale event happened at its eventTimestamp, not when the alert rule noticed it
                        .time("2019-08-21T16:17:47.1551167Z")
                        .alertRule("vmss-scale-events").monitoringService("Activity Log - Autoscale").signalType("Activity Log")
                        .targets(AUTOSCALE_SETTING)
                        .scale(new Scale("out", 9, 10, AUTOSCALE_SETTING,
                                "/subscriptions/<GUID>/resourceGroups/voiceassistancedemo/providers/Microsoft.Compute/virtualMachineScaleSets/alexademo")),

                customRow("cs-ctx-prometheus.json"),
                wrappedRow("cs-ctx-prometheus.json", PROMETHEUS_ESSENTIALS)
                        .schema("common").type(ALERT_FIRED).severity("Sev2").condition("Fired")
                        .time("2023-06-06T09:55:41.3497549Z")
                        .alertRule("SQL availability").monitoringService("Prometheus").signalType("Metric")
                        .targets(PROMETHEUS_WORKSPACE),

                customRow("cs-ctx-servicehealth.json"),
                wrappedRow("cs-ctx-servicehealth.json", SERVICE_HEALTH_ESSENTIALS)
                        .schema("common").type(ALERT_FIRED).severity("Sev4").condition("Fired")
                        .time("2019-06-24T11:31:31.7147357Z")
                        .alertRule("synapse-maintenance").monitoringService("ServiceHealth").signalType("Activity Log")
                        .targets(SUB)
                        // impactedServices arrives as a string holding JSON: it is parsed into a real array
                        .health(new Health("<GUID>", "Planned", "Maintenance",
                                "Azure Synapse Analytics Scheduled Maintenance Pending", "Active",
                                List.of("Azure Synapse Analytics"), List.of("East US"))),

                row("cs-full-metric-resolved.json")
                        .schema("common").type(ALERT_RESOLVED).severity("Sev3").condition("Resolved")
                        .time("2019-03-22T14:03:16.2246313Z")
                        .alertRule("WCUS-R2-Gen2").monitoringService("Platform").signalType("Metric")
                        .targets("/subscriptions/<subscription ID>/resourcegroups/pipelinealertrg/providers/microsoft.compute/virtualmachines/wcus-r2-gen2"),

                row("legacy-activitylog-administrative-restart.json")
                        .schema("activity-log").type(ALERT_FIRED).severity("Sev3").condition("Fired")
                        .time("2021-11-16T08:27:36.1836909Z")
                        .alertRule(null).monitoringService("Activity Log - Administrative").signalType("Activity Log")
                        .targets(SUB + "/resourceGroups/test-RG/providers/Microsoft.Compute/virtualMachines/test-VM"),

                row("legacy-activitylog-common-skeleton.json").invalidAt(19, 17),

                row("legacy-budget.json")
                        .schema("budget").type(ALERT_FIRED).severity(null).condition("Fired")
                        .time(RECEIVED.toString())
                        .alertRule("test-budgetName").monitoringService("CostAlerts").signalType(null)
                        .targets(SUB + "/resourceGroups/test-RG")
                        .budget(new Budget("test-budgetName", "Cost", 10000.0, 1111.32, 8000.0, "USD", "test-RG",
                                "aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e", null)),

                row("legacy-classic-metric-alert.json")
                        .schema("classic-metric").type(ALERT_FIRED).severity(null).condition("Fired")
                        .time("2015-08-14T22:26:41.9975398Z")
                        .alertRule("ruleName1").monitoringService("Platform").signalType("Metric")
                        .targets("/subscriptions/s1/resourceGroups/useast/providers/microsoft.foo/sites/mysite1"),

                row("legacy-log-appinsights-2018.json")
                        .schema("log").type(ALERT_FIRED).severity("Sev3").condition("Fired")
                        .time("2018-03-26T09:10:40Z")
                        .alertRule("AcmeRule").monitoringService("Application Insights").signalType("Log")
                        .targets(),

                row("legacy-log-v1-numresults.json")
                        .schema("log").type(ALERT_FIRED).severity("Sev3").condition("Fired")
                        .time("2021-11-16T15:15:24Z")
                        .alertRule("test-logAlertRule-v1-numResults").monitoringService("Log Analytics").signalType("Log")
                        .targets(SUB + "/resourceGroups/test-RG/providers/Microsoft.OperationalInsights/workspaces/test-logAnalyticsWorkspace"),

                row("legacy-metric-static.json")
                        .schema("metric").type(ALERT_FIRED).severity("Sev3").condition("Fired")
                        .time("2021-11-15T09:35:12.9703687Z")
                        .alertRule("test-metricAlertRule").monitoringService("Platform").signalType("Metric")
                        .targets(SUB + "/resourceGroups/test-RG/providers/Microsoft.Storage/storageAccounts/test-storageAccount"),

                row("test-activitylog-administrative.json")
                        .schema("common").type(ALERT_FIRED).severity("Sev4").condition("Fired")
                        .time("2025-04-15T11:26:21.386Z")
                        .alertRule("test-activityLogAlertRule").monitoringService("Activity Log - Administrative")
                        .signalType("Activity Log")
                        .targets(TEST_VM),

                row("test-budget.json")
                        .schema("common").type(ALERT_FIRED).severity(null).condition("Fired")
                        .time("2025-04-15T17:49:34.022Z")
                        // no rule and no target in the essentials: the budget and its scope stand in
                        .alertRule("Test_forcasted_budget").monitoringService("CostAlerts").signalType(null)
                        .targets(SUB)
                        .budget(new Budget("Test_forcasted_budget", "Cost", 50.0, 999.99, 50.0, "USD", null,
                                "aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e", "Forecasted")),

                row("test-log-v1-number-of-results.json")
                        .schema("common").type(ALERT_FIRED).severity("Sev4").condition("Fired")
                        .time("2025-04-15T18:04:40.852Z")
                        .alertRule("test-logAlertRule-v1-numResults").monitoringService("Log Analytics").signalType("Log")
                        .targets(TEST_WORKSPACE),

                row("test-log-v2.json")
                        .schema("common").type(ALERT_FIRED).severity("Sev4").condition("Fired")
                        .time("2025-04-15T18:08:03.626Z")
                        .alertRule("test-logAlertRule-v2").monitoringService("Log Alerts V2").signalType("Log")
                        .targets(TEST_WORKSPACE),

                row("test-metric-static.json")
                        .schema("common").type(ALERT_FIRED).severity("Sev4").condition("Fired")
                        .time("2025-04-15T18:17:12.851Z")
                        .alertRule("test-metricAlertRule").monitoringService("Platform").signalType("Metric")
                        .targets(SUB + "/resourcegroups/test-RG/providers/microsoft.storage/storageaccounts/test-storageAccount"),

                row("test-resource-health.json")
                        .schema("common").type(ALERT_FIRED).severity("Sev4").condition("Fired")
                        .time("2025-04-15T18:19:45.304Z")
                        .alertRule("test-ResourceHealthAlertRule").monitoringService("Resource Health")
                        .signalType("Activity Log")
                        .targets(TEST_VM)
                        .health(new Health(null, null, "Downtime", "Rebooted by user", "Unavailable", List.of(), List.of())),

                row("test-service-health.json")
                        .schema("common").type(ALERT_FIRED).severity("Sev4").condition("Fired")
                        .time("2025-04-15T18:20:36.256Z")
                        // the sample spells the signal "ActivityLog"; normalised to the usual spelling
                        .alertRule("test-ServiceHealthAlertRule").monitoringService("ServiceHealth").signalType("Activity Log")
                        .targets(SUB)
                        .health(new Health("TEST-TTT", "Resolved", "Incident", "TestActionGroup-TestServiceHealthAlert",
                                "Resolved", List.of("AzureServiceName"), List.of("Global"))),

                row("test-smart-detection.json")
                        .schema("common").type(ALERT_FIRED).severity("Sev4").condition("Fired")
                        .time("2021-10-28T19:09:09.1115084Z")
                        .alertRule("test-SmartAlertRule").monitoringService("SmartDetector").signalType("Log")
                        .targets(SUB + "/resourcegroups/test-RG/providers/microsoft.insights/components/test-applicationInsights"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void normalisesEveryPublishedPayloadToTheDocumentedFields(Row row) throws IOException {
        byte[] body = row.body.get();
        if (row.invalidLine != null) {
            assertThatThrownBy(() -> NORMALISER.normalise(TENANT, body))
                    .isInstanceOfSatisfying(InvalidNotificationException.class, e -> {
                        assertThat(e.line()).isEqualTo(row.invalidLine);
                        assertThat(e.column()).isEqualTo(row.invalidColumn);
                    });
            return;
        }

        PlatformEvent event = NORMALISER.normalise(TENANT, body);
        AlertData data = event.data();
        JsonNode original = Json.MAPPER.readTree(body);
        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(data.schema()).as("schema").isEqualTo(row.schema);
            softly.assertThat(event.type()).as("type").isEqualTo(row.type);
            softly.assertThat(data.severity()).as("severity").isEqualTo(row.severity);
            softly.assertThat(data.condition()).as("condition").isEqualTo(row.condition);
            softly.assertThat(UtcTime.format(event.time())).as("time").isEqualTo(row.time);
            softly.assertThat(event.subject()).as("subject")
                    .isEqualTo(row.targets.isEmpty() ? null : row.targets.get(0).toLowerCase(Locale.ROOT));
            softly.assertThat(data.alertRule()).as("alertRule").isEqualTo(row.alertRule);
            softly.assertThat(data.monitoringService()).as("monitoringService").isEqualTo(row.monitoringService);
            softly.assertThat(data.signalType()).as("signalType").isEqualTo(row.signalType);
            softly.assertThat(data.targetResourceIds()).as("targetResourceIds").isEqualTo(row.targets);
            softly.assertThat(data.deployment()).as("deployment").isEqualTo(row.deployment);
            softly.assertThat(data.scale()).as("scale").isEqualTo(row.scale);
            softly.assertThat(data.health()).as("health").isEqualTo(row.health);
            softly.assertThat(data.budget()).as("budget").isEqualTo(row.budget);
            softly.assertThat(data.payload()).as("payload, unchanged").isEqualTo(original);
            softly.assertThat(event.tenant()).as("tenant").isEqualTo(TENANT);
        });
    }

    @Test
    void everyFixtureFileHasARowSoNoneIsSilentlySkipped() {
        Set<String> covered = table().stream().map(r -> r.fixture).collect(Collectors.toSet());
        List<String> missing = new ArrayList<>(Fixtures.jsonFiles());
        missing.removeAll(covered);

        assertThat(Fixtures.jsonFiles()).as("fixtures in " + Fixtures.directory()).isNotEmpty();
        assertThat(missing).as("fixture files without a row in the table").isEmpty();
        assertThat(table().stream().filter(r -> r.fixture.startsWith("cs-ctx-") && r.label.contains("wrapped"))
                .map(r -> r.fixture).collect(Collectors.toSet()))
                .as("every alertContext fragment also has a wrapped row")
                .containsExactlyInAnyOrderElementsOf(
                        Fixtures.jsonFiles().stream().filter(n -> n.startsWith("cs-ctx-")).toList());
    }

    private static Row row(String fixture) {
        return new Row(fixture, fixture, () -> Fixtures.bytes(fixture));
    }

    /** A fragment posted as it is: an object of no known shape, so custom, never dropped. */
    private static Row customRow(String fixture) {
        return new Row(fixture, fixture + " (as posted alone)", () -> Fixtures.bytes(fixture))
                .schema("custom").type(ALERT_FIRED).severity(null).condition("Fired").time(RECEIVED.toString())
                .alertRule(null).monitoringService(null).signalType(null).targets();
    }

    private static Row wrappedRow(String fixture, String essentials) {
        return new Row(fixture, fixture + " (wrapped in a common-schema notification)",
                () -> Fixtures.commonSchemaAround(fixture, essentials));
    }

    /** One fixture and what it must normalise to. Unset details are expected to be null. */
    static final class Row {
        final String fixture;
        final String label;
        final Supplier<byte[]> body;
        String schema;
        EventType type;
        String severity;
        String condition;
        String time;
        String alertRule;
        String monitoringService;
        String signalType;
        List<String> targets = List.of();
        Deployment deployment;
        Scale scale;
        Health health;
        Budget budget;
        Integer invalidLine;
        Integer invalidColumn;

        Row(String fixture, String label, Supplier<byte[]> body) {
            this.fixture = fixture;
            this.label = label;
            this.body = body;
        }

        Row schema(String v) { schema = v; return this; }
        Row type(EventType v) { type = v; return this; }
        Row severity(String v) { severity = v; return this; }
        Row condition(String v) { condition = v; return this; }
        Row time(String v) { time = v; return this; }
        Row alertRule(String v) { alertRule = v; return this; }
        Row monitoringService(String v) { monitoringService = v; return this; }
        Row signalType(String v) { signalType = v; return this; }
        Row targets(String... v) { targets = List.of(v); return this; }
        Row deployment(Deployment v) { deployment = v; return this; }
        Row scale(Scale v) { scale = v; return this; }
        Row health(Health v) { health = v; return this; }
        Row budget(Budget v) { budget = v; return this; }
        Row invalidAt(int line, int column) { invalidLine = line; invalidColumn = column; return this; }

        @Override
        public String toString() {
            return label;
        }
    }
}
