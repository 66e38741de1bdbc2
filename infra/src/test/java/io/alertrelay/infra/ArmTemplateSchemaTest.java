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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The template and its parameters against Microsoft's published ARM template schemas (infra/validate/validate-arm.js),
 * and proof that the validator catches what the schemas alone would let through.
 */
class ArmTemplateSchemaTest {

    @BeforeEach
    void prerequisites() {
        NodeTool.requireSchemas();
        NodeTool.requireNode();
    }

    @Test
    void everyTemplateAndParametersFileValidatesAgainstMicrosoftsSchemas() throws IOException {
        List<String> files = new ArrayList<>();
        try (var list = Files.list(Infra.infra())) {
            list.filter(f -> f.toString().endsWith(".json")).sorted().forEach(f -> files.add(f.toString()));
        }
        assertThat(files).contains(Infra.template().toString(),
                Infra.infra().resolve("azuredeploy.parameters.example.json").toString());

        NodeTool.Result result = validate(files);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains(files.size() + " passed, 0 failed");
    }

    @Test
    void theValidatorRejectsAMisspeltPropertyAWrongTypeAnUnknownApiVersionAndAnUnknownStream(@TempDir Path dir)
            throws IOException {
        Path misspelt = broken(dir, "misspelt.json", "Microsoft.ServiceBus/namespaces/topics", topic -> {
            ObjectNode p = (ObjectNode) topic.get("properties");
            p.set("requiresDuplicateDetecton", p.remove("requiresDuplicateDetection"));
        });
        Path wrongType = broken(dir, "wrong-type.json", "Microsoft.ServiceBus/namespaces/topics/subscriptions",
                sub -> ((ObjectNode) sub.get("properties")).put("deadLetteringOnMessageExpiration", "yes"));
        Path apiVersion = broken(dir, "api-version.json", "Microsoft.DocumentDB/databaseAccounts",
                account -> account.put("apiVersion", "2099-01-01"));
        Path stream = broken(dir, "stream.json", "Microsoft.Insights/dataCollectionRules",
                dcr -> ((ObjectNode) dcr.at("/properties/dataFlows/0")).putArray("streams").add("AlertRelay_CL"));

        NodeTool.Result result = validate(List.of(misspelt.toString(), wrongType.toString(), apiVersion.toString(),
                stream.toString()));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("0 passed, 4 failed")
                .contains(misspelt + ": resources[").contains("property \"requiresDuplicateDetecton\" is not declared by the schema"
                        + " (did you mean \"requiresDuplicateDetection\"?)")
                .contains(wrongType + ": resources[").contains(".properties.deadLetteringOnMessageExpiration: must be boolean")
                .contains(apiVersion + ": resources[").contains("no schema for apiVersion 2099-01-01 of Microsoft.DocumentDB/databaseAccounts")
                .contains(stream + ": resources[").contains(".properties.dataFlows[0].streams[0]: must be one of");
    }

    @Test
    void theValidatorHoldsTheParametersFileToTheTemplate(@TempDir Path dir) throws IOException {
        Files.copy(Infra.template(), dir.resolve("azuredeploy.json"));
        ObjectNode parameters = (ObjectNode) Infra.readJson(Infra.infra().resolve("azuredeploy.parameters.example.json"));
        ObjectNode values = (ObjectNode) parameters.get("parameters");
        values.remove("platformEndpointUrl"); // required: it has no default
        values.putObject("maxDeliveryCont").put("value", 5); // not a parameter of the template
        values.putObject("planSku").put("value", "Y1"); // not an allowed value
        values.putObject("productionPackageUrl").put("value", "https://x.blob.core.windows.net/releases/old.zip"); // in force only
        Path file = dir.resolve("azuredeploy.parameters.broken.json");
        Infra.JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), parameters);

        NodeTool.Result result = validate(List.of(file.toString()));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output())
                .contains("parameters.platformEndpointUrl: required by azuredeploy.json (it has no default) but not given")
                .contains("parameters.maxDeliveryCont: not a parameter of azuredeploy.json (did you mean \"maxDeliveryCount\"?)")
                .contains("parameters.planSku: \"Y1\" is not one of")
                .contains("parameters.productionPackageUrl: takes the value in force at deployment time (metadata.valueInForce),"
                        + " never a value from a file")
                .doesNotContain("parameters.stagingPackageUrl"); // required, but never asked of a file either
    }

    private static NodeTool.Result validate(List<String> files) {
        List<String> args = new ArrayList<>(List.of("--schemas", Infra.armSchemas().toString()));
        args.addAll(files);
        return NodeTool.node("validate-arm.js", args);
    }

    /** A copy of the template with one resource changed. */
    private static Path broken(Path dir, String name, String type, Consumer<ObjectNode> change) throws IOException {
        JsonNode template = Infra.readJson(Infra.template());
        change.accept((ObjectNode) Infra.onlyResource(template, type));
        Path file = dir.resolve(name);
        Infra.JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), template);
        return file;
    }
}
