package io.alertrelay.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What infra/onboarding/customer-subscription.json deploys, with its expressions evaluated (ArmTemplate): one action
 * group with one common-schema webhook on the securestring URL; activity-log alert rules at location Global, scoped to
 * the subscription, calling that group, each group of rules behind its own switch; conditions built the way the
 * activity-log alert API accepts them (which the JSON schema does not check); tags that name Alert Relay.
 */
class OnboardingTemplateTest {

    private static final JsonNode TEMPLATE = Infra.readJson(OnboardingTemplateSchemaTest.TEMPLATE);
    private static final String SUBSCRIPTION_ID = "/subscriptions/" + ArmTemplate.SUBSCRIPTION;
    /** The switch of each rule, by the rule's name with the default prefix. */
    private static final Map<String, String> SWITCH_OF_RULE = rules();
    /**
     * The fields an activity-log alert condition may examine, as the schema's description lists them: "'resourceId',
     * 'category', 'caller', 'level', 'operationName', 'resourceGroup', 'resourceProvider', 'status', 'subStatus',
     * 'resourceType', or anything beginning with 'properties'".
     */
    private static final Pattern FIELD = Pattern.compile("(?i)(resourceId|category|caller|level|operationName"
            + "|resourceGroup|resourceProvider|status|subStatus|resourceType|properties\\..+)");

    private static Map<String, String> rules() {
        Map<String, String> rules = new LinkedHashMap<>();
        rules.put("alert-relay-deployments", "includeDeployments");
        rules.put("alert-relay-autoscale", "includeAutoscale");
        rules.put("alert-relay-service-health", "includeServiceHealth");
        rules.put("alert-relay-resource-health-impaired", "includeResourceHealth");
        rules.put("alert-relay-resource-health-recovered", "includeResourceHealth");
        return rules;
    }

    @Test
    void oneActionGroupWithOneCommonSchemaWebhookOnTheSecureUrl() {
        ArmTemplate arm = new ArmTemplate(TEMPLATE, Map.of("webhookUrl", TextNode.valueOf("https://relay/x")));
        JsonNode group = Infra.onlyResource(TEMPLATE, "Microsoft.Insights/actionGroups");

        assertThat(TEMPLATE.at("/parameters/webhookUrl/type").asText()).isEqualToIgnoringCase("securestring");
        assertThat(TEMPLATE.at("/parameters/webhookUrl").has("defaultValue")).isFalse();
        assertThat(group.path("location").asText()).isEqualTo("Global");
        assertThat(group.has("condition")).as("the group is always deployed").isFalse();
        JsonNode receivers = group.at("/properties/webhookReceivers");
        assertThat(receivers).hasSize(1);
        assertThat(arm.text(receivers.get(0).path("serviceUri"))).isEqualTo("https://relay/x");
        assertThat(receivers.get(0).path("useCommonAlertSchema").asBoolean()).isTrue();
        assertThat(receivers.get(0).path("useAadAuth").asBoolean()).isFalse();
        assertThat(group.path("properties").fieldNames()).toIterable()
                .as("no other receiver kinds").containsExactlyInAnyOrder("groupShortName", "enabled", "webhookReceivers");
        assertThat(arm.eval(group.at("/properties/enabled")).asBoolean()).isTrue();
        assertThat(arm.text(group.at("/properties/groupShortName")).length()).as("at most 12 characters").isLessThanOrEqualTo(12);
    }

    @Test
    void everyRuleIsGlobalScopedToTheSubscriptionCallsTheGroupAndIsTaggedAlertRelay() {
        ArmTemplate arm = new ArmTemplate(TEMPLATE, Map.of("tenant", TextNode.valueOf("contoso")));
        String groupId = arm.text(TextNode.valueOf("[variables('actionGroupId')]"));
        assertThat(groupId).isEqualTo(ArmTemplate.RESOURCE_GROUP + "/providers/Microsoft.Insights/actionGroups/alert-relay");

        List<JsonNode> rules = Infra.resources(TEMPLATE, "Microsoft.Insights/activityLogAlerts");
        assertThat(rules).extracting(r -> arm.text(r.path("name"))).containsExactlyElementsOf(SWITCH_OF_RULE.keySet());
        for (JsonNode rule : Infra.resources(TEMPLATE, "Microsoft.Insights/activityLogAlerts")) {
            String name = arm.text(rule.path("name"));
            assertThat(rule.path("location").asText()).as(name).isEqualTo("Global");
            assertThat(arm.eval(rule.at("/properties/scopes"))).as(name).containsExactly(TextNode.valueOf(SUBSCRIPTION_ID));
            assertThat(arm.eval(rule.at("/properties/enabled")).asBoolean()).as(name).isTrue();
            JsonNode groups = arm.eval(rule.at("/properties/actions")).path("actionGroups");
            assertThat(groups).as(name).hasSize(1);
            assertThat(groups.get(0).path("actionGroupId").asText()).as(name).isEqualTo(groupId);
            assertThat(arm.eval(rule.path("dependsOn"))).as(name).contains(TextNode.valueOf(groupId));
            assertThat(arm.text(rule.at("/properties/description"))).as(name).startsWith("Alert Relay (tenant contoso)");
        }
        for (JsonNode resource : TEMPLATE.path("resources")) {
            JsonNode tags = arm.eval(resource.path("tags"));
            assertThat(tags.path("managed-by").asText()).as(resource.path("type").asText()).isEqualTo("Alert Relay");
            assertThat(tags.path("alert-relay-tenant").asText()).isEqualTo("contoso");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"includeDeployments", "includeAutoscale", "includeServiceHealth", "includeResourceHealth"})
    void eachSwitchLeavesOutItsOwnRulesAndNothingElse(String off) {
        assertThat(TEMPLATE.at("/parameters/" + off + "/type").asText()).isEqualTo("bool");
        assertThat(TEMPLATE.at("/parameters/" + off + "/defaultValue").asBoolean()).isTrue();
        ArmTemplate arm = new ArmTemplate(TEMPLATE, Map.of(off, BooleanNode.FALSE));

        List<String> deployed = new ArrayList<>();
        for (JsonNode rule : Infra.resources(TEMPLATE, "Microsoft.Insights/activityLogAlerts")) {
            String name = arm.text(rule.path("name"));
            assertThat(rule.path("condition").asText()).as(name)
                    .isEqualTo("[parameters('" + SWITCH_OF_RULE.get(name) + "')]");
            if (arm.eval(rule.path("condition")).asBoolean()) {
                deployed.add(name);
            }
        }

        List<String> expected = new ArrayList<>();
        SWITCH_OF_RULE.forEach((rule, sw) -> {
            if (!sw.equals(off)) {
                expected.add(rule);
            }
        });
        assertThat(deployed).containsExactlyElementsOf(expected);
        assertThat(arm.eval(TEMPLATE.at("/outputs/alertRules/value"))).extracting(JsonNode::asText)
                .containsExactlyElementsOf(expected);
    }

    @Test
    void everyConditionIsAnAndOfLeavesAndAnyOfsOnFieldsTheApiExaminesWithOneCategory() {
        for (JsonNode rule : Infra.resources(TEMPLATE, "Microsoft.Insights/activityLogAlerts")) {
            String name = rule.path("name").asText();
            JsonNode allOf = rule.at("/properties/condition/allOf");
            assertThat(rule.at("/properties/condition").size()).as(name).isEqualTo(1);
            int categories = 0;
            for (JsonNode clause : allOf) {
                if (clause.has("anyOf")) {
                    // "AnyOf Condition - must contain only 'anyOf' (which is an array of Leaf Conditions)"
                    assertThat(clause.size()).as(name + ": anyOf alone").isEqualTo(1);
                    assertThat(clause.path("anyOf").size()).as(name).isGreaterThan(1);
                    clause.path("anyOf").forEach(leaf -> assertLeaf(name, leaf));
                } else {
                    assertLeaf(name, clause);
                    categories += clause.path("field").asText().equals("category") ? 1 : 0;
                }
            }
            assertThat(categories).as(name + ": exactly one category leaf").isEqualTo(1);
        }
    }

    /** "Leaf Condition - must contain 'field' and either 'equals' or 'containsAny'", here always equals. */
    private static void assertLeaf(String rule, JsonNode leaf) {
        assertThat(leaf.fieldNames()).toIterable().as(rule).containsExactly("field", "equals");
        assertThat(leaf.path("field").asText()).as(rule).matches(FIELD);
        assertThat(leaf.path("equals").asText()).as(rule).isNotBlank().doesNotStartWith("[");
    }

    @Test
    void deploymentsEveryStatusOfDeploymentsWrite() {
        Map<String, Set<String>> c = condition("alert-relay-deployments");

        assertThat(c).containsOnlyKeys("category", "operationName");
        assertThat(c.get("category")).containsExactly("Administrative");
        assertThat(c.get("operationName")).containsExactly("Microsoft.Resources/deployments/write");
    }

    @Test
    void autoscaleScaleUpAndScaleDownThatSucceeded() {
        Map<String, Set<String>> c = condition("alert-relay-autoscale");

        assertThat(c).containsOnlyKeys("category", "operationName", "status");
        assertThat(c.get("category")).containsExactly("Autoscale");
        assertThat(c.get("operationName")).containsExactlyInAnyOrder("Microsoft.Insights/AutoscaleSettings/Scaleup/Action",
                "Microsoft.Insights/AutoscaleSettings/Scaledown/Action");
        assertThat(c.get("status")).containsExactly("Succeeded");
    }

    @Test
    void serviceHealthIncidentsMaintenanceAdvisoriesAndSecurity() {
        Map<String, Set<String>> c = condition("alert-relay-service-health");

        assertThat(c).containsOnlyKeys("category", "properties.incidentType");
        assertThat(c.get("category")).containsExactly("ServiceHealth");
        assertThat(c.get("properties.incidentType")).containsExactlyInAnyOrder("Incident", "Maintenance",
                "Informational", "ActionRequired", "Security");
    }

    @Test
    void resourceHealthUnavailableOrDegradedAndBackToAvailable() {
        Map<String, Set<String>> impaired = condition("alert-relay-resource-health-impaired");
        Map<String, Set<String>> recovered = condition("alert-relay-resource-health-recovered");

        assertThat(impaired).containsOnlyKeys("category", "properties.currentHealthStatus");
        assertThat(impaired.get("category")).containsExactly("ResourceHealth");
        assertThat(impaired.get("properties.currentHealthStatus")).containsExactlyInAnyOrder("Unavailable", "Degraded");
        assertThat(recovered).containsOnlyKeys("category", "properties.currentHealthStatus",
                "properties.previousHealthStatus");
        assertThat(recovered.get("category")).containsExactly("ResourceHealth");
        assertThat(recovered.get("properties.currentHealthStatus")).containsExactly("Available");
        assertThat(recovered.get("properties.previousHealthStatus")).containsExactlyInAnyOrder("Unavailable", "Degraded",
                "Unknown");
    }

    /** A rule's condition as field -> the values it accepts (one clause per field, as these rules are built). */
    static Map<String, Set<String>> condition(String ruleName) {
        ArmTemplate arm = new ArmTemplate(TEMPLATE);
        JsonNode rule = Infra.resources(TEMPLATE, "Microsoft.Insights/activityLogAlerts").stream()
                .filter(r -> arm.text(r.path("name")).equals(ruleName)).findFirst().orElseThrow();
        Map<String, Set<String>> fields = new HashMap<>();
        for (JsonNode clause : rule.at("/properties/condition/allOf")) {
            Set<String> values = new TreeSet<>();
            String field = clause.has("anyOf") ? clause.at("/anyOf/0/field").asText() : clause.path("field").asText();
            (clause.has("anyOf") ? clause.path("anyOf") : List.of(clause)).forEach(leaf -> {
                assertThat(leaf.path("field").asText()).as(ruleName + ": one field per clause").isEqualTo(field);
                values.add(leaf.path("equals").asText());
            });
            assertThat(fields.put(field, values)).as(ruleName + ": " + field + " in one clause").isNull();
        }
        return fields;
    }
}
