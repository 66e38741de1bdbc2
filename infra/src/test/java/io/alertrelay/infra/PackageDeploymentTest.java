package io.alertrelay.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, point 3: every instance, scale-out included, gets the code. The apps have no Azure Files content share, and
 * "When Azure Files isn't used, you must meet the following requirements: You must deploy from an external package
 * URL" (https://learn.microsoft.com/en-us/azure/azure-functions/storage-considerations#create-an-app-without-azure-files).
 * So each slot's WEBSITE_RUN_FROM_PACKAGE is the URL of a blob in a private container, read with the slot's own
 * managed identity; it is not slot-sticky (a swap moves the code), and a redeployment of the template cannot replace
 * the URL the pipeline set.
 */
class PackageDeploymentTest {

    static final String RUN_FROM_PACKAGE = "WEBSITE_RUN_FROM_PACKAGE";
    static final String BLOB_DATA_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
    static final String BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    static final String CONTAINER_TYPE = "Microsoft.Storage/storageAccounts/blobServices/containers";

    private final ArmTemplate template = new ArmTemplate(Infra.readJson(Infra.template()));
    private final JsonNode site = Infra.onlyResource(template.json(), "Microsoft.Web/sites");
    private final JsonNode slot = Infra.onlyResource(template.json(), "Microsoft.Web/sites/slots");

    @Test
    void eachSlotRunsFromThePackageUrlInForceNeverFromTheContentShare() {
        String released = containerUrl(template) + "/alert-relay-1a2b3c4d5e6f-0123456789abcdef.zip";
        String candidate = containerUrl(template) + "/alert-relay-6f5e4d3c2b1a-fedcba9876543210.zip";
        ArmTemplate redeployed = with(Map.of("productionPackageUrl", released, "stagingPackageUrl", candidate));

        assertThat(redeployed.text(setting(site))).as("production runs the URL given for it").isEqualTo(released);
        assertThat(redeployed.text(setting(slot))).as("staging runs the URL given for it").isEqualTo(candidate);
        for (JsonNode app : List.of(site, slot)) {
            assertThat(setting(app).asText()).as("'1' runs from the content share, which these apps do not have")
                    .isNotEqualTo("1");
            assertThat(Infra.appSettings(app)).doesNotContainKeys("WEBSITE_CONTENTSHARE",
                    "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING");
        }
    }

    @Test
    void beforeTheFirstReleaseNonePointsIntoThePackageContainer() {
        ArmTemplate first = with(Map.of("productionPackageUrl", "none", "stagingPackageUrl", "none"));
        for (JsonNode app : List.of(site, slot)) {
            assertThat(first.text(setting(app))).isEqualTo(containerUrl(first) + "/none.zip");
        }
    }

    @Test
    void aRedeploymentCannotQuietlyReplaceThePackageUrl() {
        // A template deployment replaces all app settings ("the underlying update REST API calls replace the entire
        // /config/appsettings resource", https://learn.microsoft.com/en-us/azure/azure-functions/functions-infrastructure-as-code),
        // so the template must be given the URL in force: no default, nothing from a file, never empty.
        JsonNode example = Infra.readJson(Infra.infra().resolve("azuredeploy.parameters.example.json")).path("parameters");
        for (String name : List.of("productionPackageUrl", "stagingPackageUrl")) {
            JsonNode p = template.json().path("parameters").path(name);
            assertThat(p.path("type").asText()).as(name).isEqualTo("string");
            assertThat(p.has("defaultValue")).as("%s has no default: a redeployment that forgets it fails", name).isFalse();
            assertThat(p.path("minLength").asInt(0)).as("%s is never empty", name).isPositive();
            assertThat(p.at("/metadata/valueInForce").asBoolean()).as("%s is marked as the value in force", name).isTrue();
            assertThat(example.has(name)).as("the example parameters file does not give %s", name).isFalse();
        }
        assertThat(Infra.read(Infra.root().resolve("docs/deploy.md")))
                .as("docs/deploy.md shows how to read the URLs in force before a redeployment")
                .contains("productionPackageUrl=\"$PRODUCTION_PACKAGE\"").contains("stagingPackageUrl=\"$STAGING_PACKAGE\"");
    }

    @Test
    void thePackageMovesWithTheSwap() {
        JsonNode config = Infra.onlyResource(template.json(), "Microsoft.Web/sites/config");
        Set<String> sticky = new HashSet<>();
        config.at("/properties/appSettingNames").forEach(n -> sticky.add(n.asText()));
        assertThat(sticky).as("slot-sticky settings").doesNotContain(RUN_FROM_PACKAGE);
    }

    @Test
    void bothIdentitiesReadThePackagesAndNothingElseOfTheirAccount() {
        JsonNode container = Infra.onlyResource(template.json(), CONTAINER_TYPE);
        String containerName = template.text(container.get("name"));
        String containerId = template.text(TextNode.valueOf("[resourceId('" + CONTAINER_TYPE + "', "
                + TemplateAgreesWithCodeTest.quoted(containerName) + ")]"));
        String account = containerName.substring(0, containerName.indexOf('/'));
        JsonNode packageAccount = Infra.resources(template.json(), "Microsoft.Storage/storageAccounts").stream()
                .filter(a -> template.text(a.get("name")).equals(account)).findFirst().orElseThrow();

        assertThat(containerUrl(template)).isEqualTo("https://" + account + ".blob.core.windows.net/"
                + containerName.substring(containerName.lastIndexOf('/') + 1));
        assertThat(container.at("/properties/publicAccess").asText()).isEqualTo("None");
        assertThat(packageAccount.at("/properties/allowBlobPublicAccess").asBoolean(true)).isFalse();
        assertThat(packageAccount.at("/properties/allowSharedKeyAccess").asBoolean(true)).isFalse();
        assertThat(account).as("not the host storage account, where the apps are Storage Blob Data Owner")
                .isNotEqualTo(template.text(TemplateAgreesWithCodeTest.hostStorage(template).get("name")));

        Set<String> granted = TemplateAgreesWithCodeTest.grants(template);
        String accountId = template.text(TextNode.valueOf("[resourceId('Microsoft.Storage/storageAccounts', '" + account + "')]"));
        for (String identity : List.of("[variables('appId')]", "[variables('slotId')]")) {
            String principal = "{reference(" + template.text(TextNode.valueOf(identity)) + ")}.identity.principalId";
            assertThat(granted).as("Storage Blob Data Reader on the package container for %s", identity)
                    .contains(BLOB_DATA_READER + " " + principal + " " + containerId);
            assertThat(granted).as("%s holds nothing else on the package account (it must not change its code)", identity)
                    .filteredOn(g -> g.contains(" " + principal + " ") && g.contains(accountId))
                    .containsExactly(BLOB_DATA_READER + " " + principal + " " + containerId);
        }
    }

    @Test
    void thePipelineUploadsWithItsOwnIdentityWhenItsPrincipalIsGiven() {
        String containerId = template.text(TextNode.valueOf("[variables('packageContainerId')]"));
        ArmTemplate withPipeline = with(Map.of("pipelinePrincipalId", "11111111-2222-3333-4444-555555555555"));
        assertThat(TemplateAgreesWithCodeTest.grants(withPipeline)).contains(BLOB_DATA_CONTRIBUTOR
                + " 11111111-2222-3333-4444-555555555555 " + containerId);
        assertThat(TemplateAgreesWithCodeTest.grants(template)).as("no pipeline principal given, no assignment for it")
                .noneMatch(g -> g.startsWith(BLOB_DATA_CONTRIBUTOR + " "));
        assertThat(template.text(template.json().at("/outputs/packageContainerUrl/value")))
                .as("output packageContainerUrl, the pipeline's PACKAGE_CONTAINER_URL").isEqualTo(containerUrl(template));
    }

    private ArmTemplate with(Map<String, String> values) {
        Map<String, JsonNode> nodes = new java.util.HashMap<>();
        values.forEach((k, v) -> nodes.put(k, TextNode.valueOf(v)));
        return new ArmTemplate(template.json(), nodes);
    }

    private static String containerUrl(ArmTemplate t) {
        return t.text(TextNode.valueOf("[variables('packageContainerUrl')]"));
    }

    private static JsonNode setting(JsonNode app) {
        for (JsonNode s : app.at("/properties/siteConfig/appSettings")) {
            if (s.path("name").asText().equals(RUN_FROM_PACKAGE)) {
                return s.path("value");
            }
        }
        throw new AssertionError("no setting " + RUN_FROM_PACKAGE + " on " + app.path("type").asText());
    }
}
