package io.alertrelay.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.alertrelay.logging.entry.LogLevel;
import io.alertrelay.logging.entry.Stage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The pipeline's alerts on itself (docs/deploy.md, "Alerts on the pipeline"): two metric alert rules on the Service
 * Bus topic and two log search alert rules on the pipeline's table (the queries of infra/alerts), notifying the
 * operations action group when an address is given. The template as ARM would evaluate it ({@link ArmTemplate}),
 * and the queries through Kusto.Language (infra/validate/check-kql.js).
 */
class OperationsAlertsTest {

    private static final Path FAILURES_QUERY = Infra.infra().resolve("alerts/pipeline-failures.kql");
    private static final Path UNDELIVERED_QUERY = Infra.infra().resolve("alerts/undelivered-alerts.kql");
    private static final Pattern LAST_SUMMARIZE = Pattern.compile("(?m)^\\| summarize (.*?)(?: by ([\\w, ]+))?$");

    /**
     * The Service Bus metrics the rules read and the aggregations Microsoft lists for each ("Supported metrics -
     * Microsoft.ServiceBus/Namespaces", https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-servicebus-namespaces-metrics:
     * DeadletteredMessages "Average, Minimum, Maximum", Size in bytes; each with the dimension EntityName).
     */
    private static final Map<String, Set<String>> SERVICE_BUS_METRICS = Map.of(
            "DeadletteredMessages", Set.of("Average", "Minimum", "Maximum"),
            "Size", Set.of("Average", "Minimum", "Maximum"));

    private final JsonNode json = Infra.readJson(Infra.template());
    private final ArmTemplate defaults = new ArmTemplate(json);

    @Test
    void twoMetricRulesWatchTheAlertsTopicForDeadLettersAndSize() {
        List<JsonNode> rules = Infra.resources(json, "Microsoft.Insights/metricAlerts");
        assertThat(rules).hasSize(2);
        Set<String> metrics = new TreeSet<>();
        for (JsonNode rule : rules) {
            JsonNode properties = defaults.eval(rule.path("properties"));
            assertThat(properties.path("scopes")).as("scope").containsExactly(TextNode.valueOf(
                    defaults.text(TextNode.valueOf("[variables('serviceBusId')]"))));
            assertThat(properties.at("/criteria/odata.type").asText())
                    .isEqualTo("Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria");
            JsonNode criterion = onlyCriterion(properties);
            String metric = criterion.path("metricName").asText();
            metrics.add(metric);
            assertThat(criterion.path("metricNamespace").asText()).isEqualTo("Microsoft.ServiceBus/namespaces");
            assertThat(SERVICE_BUS_METRICS.get(metric)).as("aggregations of %s", metric)
                    .contains(criterion.path("timeAggregation").asText());
            assertThat(criterion.at("/dimensions/0/name").asText()).isEqualTo("EntityName");
            assertThat(criterion.at("/dimensions/0/values")).as("the topic, by the name the dequeuers bind")
                    .containsExactly(TextNode.valueOf("alerts"));
            assertThat(properties.path("autoMitigate").asBoolean()).as("resolves by itself").isTrue();
            assertThat(rule.path("location").asText()).isEqualTo("global");
        }
        assertThat(metrics).containsExactly("DeadletteredMessages", "Size");
    }

    @Test
    void anyDeadLetteredMessageRaisesTheDeadLetterAlert() {
        JsonNode criterion = onlyCriterion(defaults.eval(metricRule("DeadletteredMessages").path("properties")));
        assertThat(criterion.path("operator").asText()).isEqualTo("GreaterThan");
        assertThat(criterion.path("threshold").asLong()).isZero();
        assertThat(criterion.path("timeAggregation").asText()).isEqualTo("Maximum");
        assertThat(metricRule("DeadletteredMessages").at("/properties/severity").asInt()).isEqualTo(1);
    }

    /**
     * Standard tier: a topic of 1 to 5 GB; a full one rejects every send ("Subsequent incoming messages are rejected",
     * https://learn.microsoft.com/azure/service-bus-messaging/service-bus-quotas), which the webhook answers with 503.
     */
    @Test
    void theTopicIsAsLargeAsStandardAllowsAndTheSizeAlertFiresAtFourFifthsOfIt() {
        JsonNode parameter = json.at("/parameters/topicMaxSizeInMegabytes");
        assertThat(parameter.path("defaultValue").asInt()).isEqualTo(5120);
        assertThat(parameter.path("allowedValues")).extracting(JsonNode::asInt)
                .containsExactly(1024, 2048, 3072, 4096, 5120);
        JsonNode topic = Infra.onlyResource(json, "Microsoft.ServiceBus/namespaces/topics");
        for (JsonNode allowed : parameter.path("allowedValues")) {
            ArmTemplate sized = new ArmTemplate(json, Map.of("topicMaxSizeInMegabytes", allowed));
            assertThat(sized.eval(topic.at("/properties/maxSizeInMegabytes")).asInt()).isEqualTo(allowed.asInt());
            long quotaBytes = allowed.asLong() * 1024 * 1024;
            long threshold = onlyCriterion(sized.eval(metricRule("Size").path("properties"))).path("threshold")
                    .asLong();
            assertThat((double) threshold / quotaBytes).as("threshold of a %d MB topic", allowed.asInt())
                    .isBetween(0.79, 0.81);
        }
    }

    /** Each log rule runs one file of infra/alerts on the workspace and fires on a count above 0, split as it groups. */
    @Test
    void eachLogRuleRunsOneQueryFileOnTheWorkspaceEveryFiveMinutes() {
        Map<String, String> files = alertQueryFiles();
        assertThat(files).hasSize(2);
        Set<String> used = new TreeSet<>();
        for (JsonNode rule : Infra.resources(json, "Microsoft.Insights/scheduledQueryRules")) {
            JsonNode properties = defaults.eval(rule.path("properties"));
            assertThat(properties.path("scopes")).containsExactly(TextNode.valueOf(
                    defaults.text(TextNode.valueOf("[variables('workspaceId')]"))));
            assertThat(properties.path("evaluationFrequency").asText()).isEqualTo("PT5M");
            assertThat(properties.path("autoMitigate").asBoolean()).isTrue();
            JsonNode criterion = onlyCriterion(properties);
            String query = criterion.path("query").asText();
            String file = files.entrySet().stream().filter(f -> f.getValue().equals(query)).map(Map.Entry::getKey)
                    .findFirst().orElseThrow(() -> new AssertionError(rule.path("name").asText()
                            + ": its query is no file of infra/alerts; paste the changed .kql file"));
            assertThat(used.add(file)).as("%s used by one rule", file).isTrue();
            assertThat(criterion.path("operator").asText()).isEqualTo("GreaterThan");
            assertThat(criterion.path("threshold").asLong()).isZero();
            assertThat(criterion.path("timeAggregation").asText()).isEqualTo("Total");

            Matcher summarize = LAST_SUMMARIZE.matcher(query);
            String last = null;
            List<String> by = List.of();
            while (summarize.find()) {
                last = summarize.group(1);
                by = summarize.group(2) == null ? List.of()
                        : Arrays.stream(summarize.group(2).split(",")).map(String::trim).toList();
            }
            assertThat(last).as("%s ends in a summarize", file).isNotNull();
            assertThat(last).as("%s: the measure is a column of its last summarize", file)
                    .startsWith(criterion.path("metricMeasureColumn").asText() + " = ");
            assertThat(criterion.path("dimensions")).extracting(d -> d.path("name").asText())
                    .as("%s: dimensions are its grouping columns", file).containsExactlyElementsOf(by);
        }
        assertThat(used).isEqualTo(files.keySet());
    }

    /**
     * Rows reach Log Analytics minutes after they are written, and a rule sees only the rows ingested by the time it
     * runs: a window of three runs still counts a row ingested up to 10 minutes late
     * (https://learn.microsoft.com/azure/sentinel/ingestion-delay), and the stateful rule notifies once for it.
     */
    @Test
    void theFailuresRuleLooksBackThreeRunsSoRowsIngestedLateStillCount() {
        JsonNode properties = defaults.eval(logRule(FAILURES_QUERY).path("properties"));
        assertThat(properties.path("evaluationFrequency").asText()).isEqualTo("PT5M");
        assertThat(properties.path("windowSize").asText()).isEqualTo("PT15M");
        assertThat(properties.path("autoMitigate").asBoolean()).isTrue();
    }

    /** The rule looks back far enough that an alert waiting for hours is still counted, not aged out of the window. */
    @Test
    void theUndeliveredRuleLooksBackHoursForAlertsWaitingAQuarterOfAnHour() {
        JsonNode properties = defaults.eval(logRule(UNDELIVERED_QUERY).path("properties"));
        assertThat(properties.path("windowSize").asText()).isEqualTo("PT6H");
        assertThat(Infra.read(UNDELIVERED_QUERY)).contains("| where PublishedAt < ago(15m)");
    }

    @Test
    void theAlertQueriesParseAndFitTheTableSchema() {
        NodeTool.requireNode();
        List<String> args = new java.util.ArrayList<>(List.of("--table", Infra.tableSchema().toString()));
        Infra.kqlFiles("alerts").forEach(f -> args.add(f.toString()));
        NodeTool.Result result = NodeTool.node("check-kql.js", args);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains((args.size() - 2) + " passed, 0 failed");
    }

    /** A filter on a stage, level or function the code never writes would match nothing, and the rule never fire. */
    @Test
    void theAlertQueriesFilterOnStagesLevelsAndFunctionsTheCodeWrites() {
        String failures = Infra.read(FAILURES_QUERY).replaceAll("(?m)^//.*$", "");
        assertThat(KqlQueriesTest.literalsComparedWith("Stage", failures))
                .containsExactlyInAnyOrder(Stage.REJECTED.value(), Stage.RETRIED.value());
        assertThat(KqlQueriesTest.literalsComparedWith("Level", failures)).containsExactly(LogLevel.ERROR.value());
        assertThat(KqlQueriesTest.literalsComparedWith("Operation", failures)).containsExactly("AlertWebhook");

        String undelivered = Infra.read(UNDELIVERED_QUERY).replaceAll("(?m)^//.*$", "");
        assertThat(KqlQueriesTest.literalsComparedWith("Stage", undelivered)).as("acceptance and the settled stages")
                .containsExactlyInAnyOrder(Stage.PUBLISHED.value(), Stage.DELIVERED.value(), Stage.REJECTED.value(),
                        Stage.SUPERSEDED.value(), Stage.DEADLETTERED.value());
        assertThat(KqlQueriesTest.literalsComparedWith("Operation", undelivered)).containsExactly("AlertWebhook");

        Set<String> stages = Arrays.stream(Stage.values()).map(Stage::value).collect(Collectors.toSet());
        for (String query : List.of(failures, undelivered)) {
            assertThat(KqlQueriesTest.literalsComparedWith("Stage", query)).isSubsetOf(stages);
            assertThat(KqlQueriesTest.literalsComparedWith("Operation", query)).isSubsetOf(functionNames());
        }
    }

    @Test
    void withoutAnAddressNoActionGroupIsDeployedAndTheRulesNotifyNoOne() {
        JsonNode group = operationsGroup();
        assertThat(defaults.eval(group.path("condition")).asBoolean()).isFalse();
        for (JsonNode rule : Infra.resources(json, "Microsoft.Insights/metricAlerts")) {
            assertThat(defaults.eval(rule.at("/properties/actions"))).isEmpty();
        }
        for (JsonNode rule : Infra.resources(json, "Microsoft.Insights/scheduledQueryRules")) {
            assertThat(defaults.eval(rule.at("/properties/actions/actionGroups"))).isEmpty();
        }
    }

    @Test
    void withAnAddressEveryRuleNotifiesTheOperationsGroupByEmail() {
        ArmTemplate withEmail = new ArmTemplate(json, Map.of("operationsEmail", TextNode.valueOf("ops@example.com")));
        JsonNode group = operationsGroup();
        assertThat(withEmail.eval(group.path("condition")).asBoolean()).isTrue();
        JsonNode receiver = withEmail.eval(group.at("/properties/emailReceivers/0"));
        assertThat(receiver.path("emailAddress").asText()).isEqualTo("ops@example.com");
        assertThat(receiver.path("useCommonAlertSchema").asBoolean()).isTrue();

        String groupId = withEmail.text(TextNode.valueOf("[resourceId('Microsoft.Insights/actionGroups', "
                + "variables('operationsActionGroupName'))]"));
        assertThat(groupId).endsWith("/providers/Microsoft.Insights/actionGroups/"
                + withEmail.text(group.path("name")));
        for (JsonNode rule : Infra.resources(json, "Microsoft.Insights/metricAlerts")) {
            assertThat(withEmail.eval(rule.at("/properties/actions")).findValuesAsText("actionGroupId"))
                    .as("actions of %s", rule.path("name").asText()).containsExactly(groupId);
            assertThat(rule.path("dependsOn").toString()).contains("operationsActionGroupId");
        }
        for (JsonNode rule : Infra.resources(json, "Microsoft.Insights/scheduledQueryRules")) {
            assertThat(withEmail.eval(rule.at("/properties/actions/actionGroups")))
                    .as("actions of %s", rule.path("name").asText()).containsExactly(TextNode.valueOf(groupId));
            assertThat(rule.path("dependsOn").toString()).contains("operationsActionGroupId");
        }
    }

    /** A redeployment reads the address in force (docs/deploy.md): without it the rules would notify no one. */
    @Test
    void theRedeploymentReadsTheAddressInForceFromTheGroupTheTemplateNames() {
        String shortName = operationsGroup().at("/properties/groupShortName").asText();
        assertThat(shortName.length()).as("Azure allows 12 characters").isLessThanOrEqualTo(12);
        assertThat(Infra.read(Infra.root().resolve("docs/deploy.md")))
                .contains("[?groupShortName=='" + shortName + "'].emailReceivers[0].emailAddress")
                .contains("operationsEmail=\"$OPS_EMAIL\"");
    }

    private JsonNode operationsGroup() {
        return Infra.resourceNamed(json, "Microsoft.Insights/actionGroups", "[variables('operationsActionGroupName')]");
    }

    private JsonNode logRule(Path queryFile) {
        String query = Infra.read(queryFile).replace("\r\n", "\n");
        List<JsonNode> found = Infra.resources(json, "Microsoft.Insights/scheduledQueryRules").stream()
                .filter(r -> r.at("/properties/criteria/allOf/0/query").asText().equals(query)).toList();
        assertThat(found).as("log rules running %s", queryFile.getFileName()).hasSize(1);
        return found.get(0);
    }

    /** The files of infra/alerts by name, as text with Unix line ends. */
    private static Map<String, String> alertQueryFiles() {
        Map<String, String> files = new TreeMap<>();
        for (Path f : Infra.kqlFiles("alerts")) {
            files.put(f.getFileName().toString(), Infra.read(f).replace("\r\n", "\n"));
        }
        return files;
    }

    private JsonNode metricRule(String metric) {
        List<JsonNode> found = Infra.resources(json, "Microsoft.Insights/metricAlerts").stream()
                .filter(r -> r.at("/properties/criteria/allOf/0/metricName").asText().equals(metric)).toList();
        assertThat(found).as("metric rules on %s", metric).hasSize(1);
        return found.get(0);
    }

    private static JsonNode onlyCriterion(JsonNode ruleProperties) {
        JsonNode allOf = ruleProperties.at("/criteria/allOf");
        assertThat(allOf).hasSize(1);
        return allOf.get(0);
    }

    /** The names of the functions, as the Java sources declare them ({@code @FunctionName}). */
    private static Set<String> functionNames() {
        Path sources = Infra.root().resolve("functions/src/main/java/io/alertrelay/functions");
        try (Stream<Path> files = Files.list(sources)) {
            return files.map(Infra::read).flatMap(source -> Pattern.compile("@FunctionName\\(\"(\\w+)\"\\)")
                    .matcher(source).results().map(m -> m.group(1))).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
