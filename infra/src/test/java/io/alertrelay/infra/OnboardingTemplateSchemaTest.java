package io.alertrelay.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The customer's onboarding template (infra/onboarding/customer-subscription.json) and its example parameters file
 * against Microsoft's published ARM template schemas, with the same validator as the main template
 * (infra/validate/validate-arm.js: schemas, declared property names, parameters held to the template), and proof
 * that broken copies of both fail; also the autoscale notifications snippet that docs/onboarding.md gives customers.
 */
class OnboardingTemplateSchemaTest {

    static final Path DIR = Infra.infra().resolve("onboarding");
    static final Path TEMPLATE = DIR.resolve("customer-subscription.json");
    static final Path EXAMPLE = DIR.resolve("customer-subscription.parameters.example.json");

    @BeforeEach
    void prerequisites() {
        NodeTool.requireSchemas();
        NodeTool.requireNode();
    }

    @Test
    void theTemplateAndItsExampleParametersValidateAgainstMicrosoftsSchemas() throws IOException {
        List<String> files = new ArrayList<>();
        try (var list = Files.list(DIR)) {
            list.filter(f -> f.toString().endsWith(".json")).sorted().forEach(f -> files.add(f.toString()));
        }
        assertThat(files).containsExactlyInAnyOrder(EXAMPLE.toString(), TEMPLATE.toString());

        NodeTool.Result result = validate(files);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("OK " + TEMPLATE).contains("OK " + EXAMPLE).contains("2 passed, 0 failed");
    }

    @Test
    void brokenCopiesOfTheTemplateFail(@TempDir Path dir) throws IOException {
        Path misspelt = broken(dir, "misspelt.json", "Microsoft.Insights/actionGroups", group -> {
            ObjectNode receiver = (ObjectNode) group.at("/properties/webhookReceivers/0");
            receiver.set("useCommonAlertSchma", receiver.remove("useCommonAlertSchema"));
        });
        Path leaf = broken(dir, "leaf.json", "Microsoft.Insights/activityLogAlerts", rule -> {
            ObjectNode category = (ObjectNode) rule.at("/properties/condition/allOf/0");
            category.set("equal", category.remove("equals"));
        });
        Path wrongType = broken(dir, "wrong-type.json", "Microsoft.Insights/activityLogAlerts",
                rule -> ((ObjectNode) rule.get("properties")).put("enabled", "yes"));
        // Microsoft's own samples still say 2017-04-01; the schema set holds the version MANIFEST.md names.
        Path apiVersion = broken(dir, "api-version.json", "Microsoft.Insights/activityLogAlerts",
                rule -> rule.put("apiVersion", "2017-04-01"));

        NodeTool.Result result = validate(List.of(misspelt.toString(), leaf.toString(), wrongType.toString(),
                apiVersion.toString()));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("0 passed, 4 failed")
                .contains(misspelt + ": resources[0] Microsoft.Insights/actionGroups")
                .contains("property \"useCommonAlertSchma\" is not declared by the schema (did you mean"
                        + " \"useCommonAlertSchema\"?)")
                .contains(leaf + ": resources[1] Microsoft.Insights/activityLogAlerts")
                .contains("property \"equal\" is not declared by the schema (did you mean \"equals\"?)")
                .contains(wrongType + ": resources[1] Microsoft.Insights/activityLogAlerts")
                .contains(".properties.enabled: must be boolean")
                .contains(apiVersion + ": resources[1] Microsoft.Insights/activityLogAlerts")
                .contains("no schema for apiVersion 2017-04-01 of Microsoft.Insights/activityLogAlerts (the schemas"
                        + " define 2026-01-01)");
    }

    @Test
    void aBrokenParametersFileFailsAgainstTheTemplate(@TempDir Path dir) throws IOException {
        Files.copy(TEMPLATE, dir.resolve(TEMPLATE.getFileName()));
        ObjectNode parameters = (ObjectNode) Infra.readJson(EXAMPLE);
        ObjectNode values = (ObjectNode) parameters.get("parameters");
        values.remove("tenant"); // required: no default
        values.set("includeDeployment", values.remove("includeDeployments")); // misspelt
        values.putObject("includeAutoscale").put("value", "no"); // not a bool
        Path file = dir.resolve("customer-subscription.parameters.broken.json");
        Infra.JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), parameters);

        NodeTool.Result result = validate(List.of(file.toString()));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output())
                .contains("parameters.tenant: required by customer-subscription.json (it has no default) but not given")
                .contains("parameters.includeDeployment: not a parameter of customer-subscription.json (did you mean"
                        + " \"includeDeployments\"?)")
                .contains("parameters.includeAutoscale: value \"no\" is not of type bool");
    }

    @Test
    void theAutoscaleNotificationsSnippetOfTheOnboardingPageIsValidInAnAutoscaleSetting(@TempDir Path dir)
            throws IOException {
        String page = Infra.read(Infra.root().resolve("docs/onboarding.md"));
        Matcher m = Pattern.compile("<!-- snippet: autoscale-notifications -->\\s*```json\\n(.*?)\\n```", Pattern.DOTALL)
                .matcher(page);
        assertThat(m.find()).as("docs/onboarding.md has the autoscale-notifications snippet").isTrue();
        JsonNode snippet = Infra.JSON.readTree(m.group(1));
        assertThat(snippet.at("/notifications/0/webhooks/0/serviceUri").asText())
                .isEqualTo("[parameters('alertRelayWebhookUrl')]");

        // The customer's own autoscale setting, minimal, with the snippet's notifications in its properties.
        ObjectNode template = Infra.JSON.createObjectNode();
        template.put("$schema", "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#");
        template.put("contentVersion", "1.0.0.0");
        template.putObject("parameters").putObject("alertRelayWebhookUrl").put("type", "securestring");
        ObjectNode setting = template.putArray("resources").addObject();
        setting.put("type", "Microsoft.Insights/autoscalesettings").put("apiVersion", "2022-10-01")
                .put("name", "vmss-autoscale").put("location", "westeurope");
        ObjectNode properties = setting.putObject("properties");
        properties.put("enabled", true).put("targetResourceUri",
                "[resourceId('Microsoft.Compute/virtualMachineScaleSets', 'vmss')]");
        ObjectNode profile = properties.putArray("profiles").addObject();
        profile.put("name", "default");
        profile.putObject("capacity").put("minimum", "1").put("maximum", "10").put("default", "1");
        profile.putArray("rules");
        properties.set("notifications", snippet.get("notifications"));
        Path file = dir.resolve("autoscale-setting.json");
        Infra.JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), template);

        NodeTool.Result result = validate(List.of(file.toString()));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("1 passed, 0 failed");
    }

    private static NodeTool.Result validate(List<String> files) {
        List<String> args = new ArrayList<>(List.of("--schemas", Infra.armSchemas().toString()));
        args.addAll(files);
        return NodeTool.node("validate-arm.js", args);
    }

    /** A copy of the template with the first resource of a type changed. */
    private static Path broken(Path dir, String name, String type, Consumer<ObjectNode> change) throws IOException {
        JsonNode template = Infra.readJson(TEMPLATE);
        change.accept((ObjectNode) Infra.resources(template, type).get(0));
        Path file = dir.resolve(name);
        Infra.JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), template);
        return file;
    }
}
