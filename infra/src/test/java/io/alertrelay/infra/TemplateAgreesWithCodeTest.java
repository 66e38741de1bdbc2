package io.alertrelay.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.alertrelay.adapter.servicebus.LaneFilters;
import io.alertrelay.domain.Lane;
import io.alertrelay.logging.entry.Outcome;
import io.alertrelay.logging.entry.Stage;
import io.alertrelay.settings.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The template against the code: the settings the code reads, the names the functions bind, the log table's schema,
 * the identities' roles and the secrets. Plain Java over the template's JSON with its expressions evaluated
 * ({@link ArmTemplate}); needs neither Node nor the schemas.
 */
class TemplateAgreesWithCodeTest {

    /**
     * Settings of {@link Settings#ALL} that are for local runs only, and why. In Azure the app connects with its
     * managed identity, so these must not be set there.
     */
    static final Map<String, String> LOCAL_ONLY = Map.of(
            Settings.SERVICE_BUS_CONNECTION, "a connection string with a SAS key; Azure uses "
                    + Settings.SERVICE_BUS_NAMESPACE + " with the app's identity",
            Settings.COSMOS_KEY, "an account key; absent, the store signs in with the app's identity");

    /** Settings whose value differs between the slots and must still move with a swap, and why. */
    static final Map<String, String> SWAPPED_WITH_THE_CODE = Map.of("WEBSITE_RUN_FROM_PACKAGE",
            "it is the code: a swap moves the package with the slot's content (PackageDeploymentTest)");

    private final ArmTemplate template = new ArmTemplate(Infra.readJson(Infra.template()));
    private final JsonNode site = Infra.onlyResource(template.json(), "Microsoft.Web/sites");
    private final JsonNode slot = Infra.onlyResource(template.json(), "Microsoft.Web/sites/slots");

    @Test
    void everySettingTheCodeReadsIsSetOnProductionAndStagingUnlessItIsLocalOnly() {
        assertThat(Settings.ALL).containsAll(LOCAL_ONLY.keySet());
        for (JsonNode app : List.of(site, slot)) {
            Map<String, String> settings = Infra.appSettings(app);
            for (String name : Settings.ALL) {
                if (LOCAL_ONLY.containsKey(name)) {
                    assertThat(settings).as("%s is local-only (%s)", name, LOCAL_ONLY.get(name)).doesNotContainKey(name);
                } else {
                    assertThat(settings).as("setting %s on %s", name, app.path("type").asText()).containsKey(name);
                }
            }
        }
    }

    @Test
    void theAppReachesServiceBusCosmosStorageAndLogsWithItsIdentityNotWithKeys() {
        Map<String, String> settings = evaluated(site);
        String storage = template.text(hostStorage(template).get("name"));
        String bus = template.text(Infra.onlyResource(template.json(), "Microsoft.ServiceBus/namespaces").get("name"));

        assertThat(settings).doesNotContainKeys("AzureWebJobsStorage", Settings.SERVICE_BUS_CONNECTION, Settings.COSMOS_KEY)
                .containsEntry("AzureWebJobsStorage__accountName", storage)
                .containsEntry(Settings.SERVICE_BUS_NAMESPACE, bus + ".servicebus.windows.net");
        assertThat(settings.get(Settings.COSMOS_ENDPOINT)).contains("{reference(").contains("Microsoft.DocumentDB/databaseAccounts/")
                .endsWith(".documentEndpoint");
        assertThat(settings.get(Settings.LOGS_INGESTION_ENDPOINT)).contains("Microsoft.Insights/dataCollectionEndpoints/")
                .endsWith(".logsIngestion.endpoint");
        assertThat(settings.get(Settings.LOGS_DCR_IMMUTABLE_ID)).contains("Microsoft.Insights/dataCollectionRules/")
                .endsWith(".immutableId");
        // Shared keys off where the service allows it: nothing could use a key even if one leaked.
        for (JsonNode account : Infra.resources(template.json(), "Microsoft.Storage/storageAccounts")) {
            assertThat(account.at("/properties/allowSharedKeyAccess").asBoolean(true))
                    .as("shared keys of %s", template.text(account.get("name"))).isFalse();
        }
        assertThat(template.eval(Infra.onlyResource(template.json(), "Microsoft.ServiceBus/namespaces")
                .at("/properties/disableLocalAuth")).asBoolean()).isTrue();
        assertThat(template.eval(Infra.onlyResource(template.json(), "Microsoft.DocumentDB/databaseAccounts")
                .at("/properties/disableLocalAuth")).asBoolean()).isTrue();
    }

    /**
     * Issue 14: one subscription per lane, each bound by its own function through the settings the template sets, each
     * with its lane's SQL filter in its $Default rule (LaneFilters), and the code's defaults naming the same.
     */
    @Test
    void eachLaneIsASubscriptionWithTheFilterOfTheCodeBoundByItsOwnFunction() {
        String dequeuer = Infra.read(Infra.root().resolve("functions/src/main/java/io/alertrelay/functions/AlertDequeuer.java"));
        List<String> functions = groups(dequeuer, "@FunctionName\\(\"(\\w+)\"\\)");
        List<String> subscriptionSettings = groups(dequeuer, "subscriptionName\\s*=\\s*\"%(\\w+)%\"");
        assertThat(functions).containsExactly("AlertDequeuer", "AlertDequeuerBulk");
        assertThat(subscriptionSettings).containsExactly(Settings.ALERTS_SUBSCRIPTION, Settings.ALERTS_BULK_SUBSCRIPTION);
        assertThat(groups(dequeuer, "topicName\\s*=\\s*\"%(\\w+)%\"")).containsOnly(Settings.ALERTS_TOPIC);
        assertThat(groups(dequeuer, "connection\\s*=\\s*\"(\\w+)\"")).containsOnly("ServiceBusConnection");
        assertThat("ServiceBusConnection__fullyQualifiedNamespace").isEqualTo(Settings.SERVICE_BUS_NAMESPACE);

        String topic = template.text(Infra.onlyResource(template.json(), "Microsoft.ServiceBus/namespaces/topics").get("name"));
        JsonNode subscriptions = Infra.onlyResource(template.json(), "Microsoft.ServiceBus/namespaces/topics/subscriptions");
        JsonNode rules = Infra.onlyResource(template.json(), "Microsoft.ServiceBus/namespaces/topics/subscriptions/rules");
        JsonNode lanes = template.eval(template.json().at("/variables/lanes"));
        assertThat(template.eval(subscriptions.at("/copy/count")).asInt()).isEqualTo(lanes.size()).isEqualTo(Lane.values().length);
        assertThat(template.eval(rules.at("/copy/count")).asInt()).isEqualTo(lanes.size());
        Settings defaults = Settings.from(Map.of());
        List<String> defaultSubscriptions = List.of(defaults.alertsSubscription(), defaults.alertsBulkSubscription());
        for (int i = 0; i < lanes.size(); i++) {
            Lane lane = Lane.values()[i];
            JsonNode l = lanes.get(i);
            assertThat(l.path("lane").asText()).isEqualTo(lane.value());
            assertThat(l.path("function").asText()).isEqualTo(functions.get(i));
            String subscription = template.text(subscriptions.get("name"), i);
            assertThat(subscription).isEqualTo(topic + "/" + l.path("subscription").asText())
                    .isEqualTo(topic + "/" + defaultSubscriptions.get(i));
            for (JsonNode app : List.of(site, slot)) {
                Map<String, String> settings = evaluated(app);
                assertThat(topic).endsWith("/" + settings.get(Settings.ALERTS_TOPIC)).endsWith("/" + defaults.alertsTopic());
                assertThat(subscription).as("the subscription %s binds", functions.get(i))
                        .isEqualTo(topic + "/" + settings.get(subscriptionSettings.get(i)));
            }
            assertThat(template.text(rules.get("name"), i)).as("the lane's filter replaces the default rule")
                    .isEqualTo(subscription + "/$Default");
            assertThat(template.text(rules.at("/properties/filterType"), i)).isEqualTo("SqlFilter");
            assertThat(template.text(rules.at("/properties/sqlFilter/sqlExpression"), i)).isEqualTo(LaneFilters.of(lane));
        }
    }

    @Test
    void maxDeliveryCountSettingFollowsTheSubscriptionsMaxDeliveryCount() {
        for (int count : new int[] {10, 7}) {
            ArmTemplate t = new ArmTemplate(template.json(), Map.of("maxDeliveryCount", IntNode.valueOf(count)));
            JsonNode sub = Infra.onlyResource(t.json(), "Microsoft.ServiceBus/namespaces/topics/subscriptions");
            assertThat(t.eval(sub.at("/properties/maxDeliveryCount")).asInt()).isEqualTo(count);
            for (JsonNode app : List.of(site, slot)) {
                assertThat(t.text(setting(app, Settings.MAX_DELIVERY_COUNT))).isEqualTo(String.valueOf(count));
            }
        }
    }

    @Test
    void theSubscriptionLocksLongerThanOneDeliveryAndDeadLettersExpiredMessages() {
        JsonNode sub = Infra.onlyResource(template.json(), "Microsoft.ServiceBus/namespaces/topics/subscriptions");
        Duration lock = Duration.parse(template.text(sub.at("/properties/lockDuration")));
        assertThat(lock).as("lock duration vs the platform client's 30 s time budget").isGreaterThan(Duration.ofSeconds(30));
        assertThat(sub.at("/properties/deadLetteringOnMessageExpiration").asBoolean()).isTrue();

        JsonNode topic = Infra.onlyResource(template.json(), "Microsoft.ServiceBus/namespaces/topics");
        assertThat(topic.at("/properties/requiresDuplicateDetection").asBoolean()).isTrue();
        assertThat(topic.at("/properties/duplicateDetectionHistoryTimeWindow").asText())
                .isEqualTo("[parameters('duplicateDetectionWindow')]");
        assertThat(Infra.onlyResource(template.json(), "Microsoft.ServiceBus/namespaces").at("/sku/name").asText())
                .isEqualTo("Standard");
    }

    @Test
    void theContainerIsTheStoresWithTtlOnSoPerDocumentTtlApplies() {
        JsonNode container = Infra.onlyResource(template.json(), "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers");
        Settings defaults = Settings.from(Map.of());
        Map<String, String> settings = evaluated(site);
        assertThat(template.text(container.get("name"))).endsWith("/" + settings.get(Settings.COSMOS_DATABASE) + "/"
                + settings.get(Settings.COSMOS_CONTAINER)).endsWith("/" + defaults.cosmosDatabase() + "/" + defaults.cosmosContainer());
        assertThat(container.at("/properties/resource/partitionKey/paths").toString()).isEqualTo("[\"/tenant\"]");
        assertThat(template.eval(container.at("/properties/resource/defaultTtl")).asInt()).isEqualTo(-1);
        assertThat(template.eval(Infra.onlyResource(template.json(), "Microsoft.DocumentDB/databaseAccounts")
                .at("/properties/capabilities")).toString()).contains("EnableServerless");
    }

    @Test
    void settingsThatDifferBetweenSlotsAreSlotStickyAndStagingNeverDequeues() {
        Map<String, String> production = Infra.appSettings(site);
        Map<String, String> staging = Infra.appSettings(slot);
        assertThat(staging.keySet()).as("the same settings on both slots").isEqualTo(production.keySet());

        JsonNode names = Infra.onlyResource(template.json(), "Microsoft.Web/sites/config").at("/properties/appSettingNames");
        assertThat(template.text(Infra.onlyResource(template.json(), "Microsoft.Web/sites/config").get("name")))
                .endsWith("/slotConfigNames");
        Set<String> sticky = new HashSet<>();
        names.forEach(n -> sticky.add(n.asText()));
        List<String> differing = new ArrayList<>();
        production.forEach((name, value) -> {
            if (!value.equals(staging.get(name)) && !SWAPPED_WITH_THE_CODE.containsKey(name)) {
                differing.add(name);
            }
        });
        assertThat(sticky).as("slot-sticky settings").containsAll(differing).allMatch(production::containsKey);
        SWAPPED_WITH_THE_CODE.forEach((name, why) -> assertThat(sticky).as("%s is not sticky: %s", name, why)
                .doesNotContain(name));

        List<String> dequeuers = groups(Infra.read(Infra.root().resolve(
                "functions/src/main/java/io/alertrelay/functions/AlertDequeuer.java")), "@FunctionName\\(\"(\\w+)\"\\)");
        assertThat(dequeuers).as("both lanes' dequeuers").hasSize(2);
        for (String dequeuerName : dequeuers) {
            String disabled = "AzureWebJobs." + dequeuerName + ".Disabled";
            assertThat(production).containsEntry(disabled, "false");
            assertThat(staging).containsEntry(disabled, "true");
            assertThat(sticky).contains(disabled);
        }
    }

    @Test
    void tableAndStreamColumnsAreTheLoggingSchema() {
        JsonNode schema = Infra.readJson(Infra.tableSchema());
        List<String> expected = new ArrayList<>();
        List<String> expectedWithDescriptions = new ArrayList<>();
        schema.path("columns").forEach(c -> {
            expected.add(c.path("name").asText() + ":" + c.path("type").asText().toLowerCase());
            expectedWithDescriptions.add(c.path("name").asText() + ":" + c.path("type").asText().toLowerCase()
                    + ":" + c.path("description").asText());
        });
        assertThat(expected).isNotEmpty().doesNotContain("TenantId:string");

        JsonNode table = Infra.onlyResource(template.json(), "Microsoft.OperationalInsights/workspaces/tables");
        assertThat(template.text(table.get("name"))).endsWith("/" + schema.path("name").asText());
        assertThat(template.text(table.at("/properties/schema/name"))).isEqualTo(schema.path("name").asText());
        assertThat(columns(template.eval(table.at("/properties/schema/columns")), true)).isEqualTo(expectedWithDescriptions);

        JsonNode dcr = Infra.onlyResource(template.json(), "Microsoft.Insights/dataCollectionRules");
        String stream = template.text(setting(site, Settings.LOGS_STREAM_NAME));
        assertThat(stream).isEqualTo("Custom-" + schema.path("name").asText()).isEqualTo(Settings.from(Map.of()).logsStreamName());
        JsonNode declarations = dcr.at("/properties/streamDeclarations");
        assertThat(declarations.size()).isEqualTo(1);
        assertThat(columns(template.eval(declarations.path(stream).path("columns")), false)).isEqualTo(expected);
        JsonNode flow = dcr.at("/properties/dataFlows/0");
        assertThat(dcr.at("/properties/dataFlows").size()).isEqualTo(1);
        assertThat(flow.path("streams").toString()).isEqualTo("[\"" + stream + "\"]");
        assertThat(flow.path("outputStream").asText()).isEqualTo(stream);
    }

    /**
     * The Stage and Outcome columns' descriptions list exactly the values the code writes ({@link Stage},
     * {@link Outcome}), in the table JSON and in the template's table: whoever reads the table in the portal learns
     * every value a query can filter on (a stage added to the code, e.g. "replayed" of issue 13, is added here too).
     */
    @Test
    void theStageAndOutcomeDescriptionsListExactlyTheValuesTheCodeWrites() {
        Map<String, List<String>> written = Map.of(
                "Stage", Arrays.stream(Stage.values()).map(Stage::value).toList(),
                "Outcome", Arrays.stream(Outcome.values()).map(Outcome::value).toList());
        JsonNode table = Infra.onlyResource(template.json(), "Microsoft.OperationalInsights/workspaces/tables");
        Map<String, JsonNode> sources = Map.of(Infra.tableSchema().getFileName().toString(),
                Infra.readJson(Infra.tableSchema()).path("columns"),
                "azuredeploy.json table", template.eval(table.at("/properties/schema/columns")));
        written.forEach((column, values) -> sources.forEach((source, columns) -> {
            String description = description(columns, column);
            assertThat(description).as("%s description of %s", column, source).matches("[a-z-]+(, [a-z-]+)* or [a-z-]+");
            assertThat(List.of(description.split(", | or "))).as("%s values listed by %s", column, source)
                    .containsExactlyInAnyOrderElementsOf(values);
        }));
    }

    @Test
    void productionAndStagingIdentitiesHoldEveryRoleTheAppNeeds() {
        String app = template.text(TextNode.valueOf("[variables('appId')]"));
        String staging = template.text(TextNode.valueOf("[variables('slotId')]"));
        Map<String, String> scopes = new LinkedHashMap<>();
        scopes.put("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "Microsoft.Storage/storageAccounts"); // Storage Blob Data Owner
        scopes.put("974c5e8b-45b9-4653-ba55-5f855dd0fb88", "Microsoft.Storage/storageAccounts"); // Storage Queue Data Contributor
        scopes.put("69a216fc-b8fb-44d8-bc22-1f3c2cd27a39", "Microsoft.ServiceBus/namespaces"); // Service Bus Data Sender
        scopes.put(SERVICE_BUS_DATA_OWNER, "Microsoft.ServiceBus/namespaces/topics/subscriptions"); // receives, and scales
        scopes.put("3913510d-42f4-4e42-8a64-420c390055eb", "Microsoft.Insights/dataCollectionRules"); // Monitoring Metrics Publisher
        scopes.put("4633458b-17de-408a-b874-0445c86b69e6", "Microsoft.KeyVault/vaults"); // Key Vault Secrets User

        Set<String> granted = grants(template);
        for (Map.Entry<String, String> role : scopes.entrySet()) {
            JsonNode resource = role.getValue().equals("Microsoft.Storage/storageAccounts") ? hostStorage(template)
                    : Infra.onlyResource(template.json(), role.getValue());
            int copies = resource.has("copy") ? template.eval(resource.at("/copy/count")).asInt() : 1; // the lanes
            for (int i = 0; i < copies; i++) {
                String scope = template.text(TextNode.valueOf("[resourceId('" + role.getValue() + "', "
                        + quoted(template.text(resource.get("name"), resource.has("copy") ? i : null)) + ")]"));
                for (String identity : List.of(app, staging)) {
                    assertThat(granted).as("role %s for %s", role.getKey(), identity)
                            .contains(role.getKey() + " {reference(" + identity + ")}.identity.principalId " + scope);
                }
            }
        }

        JsonNode cosmos = Infra.onlyResource(template.json(), "Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments");
        Set<String> dataContributors = new HashSet<>();
        for (int i = 0; i < template.eval(cosmos.at("/copy/count")).asInt(); i++) {
            assertThat(template.text(cosmos.at("/properties/roleDefinitionId"), i))
                    .endsWith("/sqlRoleDefinitions/00000000-0000-0000-0000-000000000002"); // Cosmos DB Built-in Data Contributor
            assertThat(template.text(cosmos.at("/properties/scope"), i)).endsWith(
                    "/Microsoft.DocumentDB/databaseAccounts/" + template.text(TextNode.valueOf("[variables('cosmosName')]")));
            dataContributors.add(template.text(cosmos.at("/properties/principalId"), i));
        }
        assertThat(dataContributors).containsExactlyInAnyOrder("{reference(" + app + ")}.identity.principalId",
                "{reference(" + staging + ")}.identity.principalId");
    }

    @Test
    void noSecretValueIsWrittenInTheTemplateOrTheExampleParameters() {
        JsonNode json = template.json();
        Set<String> secure = new HashSet<>();
        json.path("parameters").fields().forEachRemaining(p -> {
            if (p.getValue().path("type").asText().toLowerCase().startsWith("secure")) {
                secure.add(p.getKey());
                assertThat(p.getValue().path("defaultValue").asText("")).as("default of secure %s", p.getKey()).isEmpty();
            }
        });
        assertThat(secure).contains("platformSigningSecret", "tenantTokenKeys");

        // the two secret settings are Key Vault references to secrets whose values are secure parameters
        for (JsonNode app : List.of(site, slot)) {
            for (String name : List.of(Settings.PLATFORM_SIGNING_SECRET, Settings.TENANT_TOKEN_KEYS)) {
                assertThat(template.text(setting(app, name))).startsWith("@Microsoft.KeyVault(SecretUri={reference(")
                        .contains("/Microsoft.KeyVault/vaults/").endsWith(".secretUri)");
            }
        }
        for (JsonNode secret : Infra.resources(json, "Microsoft.KeyVault/vaults/secrets")) {
            assertThat(secret.at("/properties/value").asText()).matches("\\[parameters\\('(\\w+)'\\)]")
                    .satisfies(v -> assertThat(secure).contains(v.replaceAll(".*'(\\w+)'.*", "$1")));
        }
        // nothing pulls a key into the deployment, and no string looks like a credential
        for (String[] s : Infra.strings(json, "")) {
            assertThat(s[1]).as(s[0]).doesNotContainIgnoringCase("listKeys(").doesNotContainIgnoringCase("listSecrets(")
                    .doesNotContainIgnoringCase("listConnectionStrings(").doesNotContainPattern("whsec_[A-Za-z0-9+/]{16}")
                    .doesNotContainIgnoringCase("AccountKey=").doesNotContainIgnoringCase("SharedAccessKey=");
        }
        json.path("outputs").fields().forEachRemaining(o -> secure.forEach(p ->
                assertThat(o.getValue().toString()).as("output %s", o.getKey()).doesNotContain("'" + p + "'")));
        JsonNode example = Infra.readJson(Infra.infra().resolve("azuredeploy.parameters.example.json"));
        secure.forEach(p -> assertThat(example.path("parameters").has(p)).as("example gives secure %s", p).isFalse());
    }

    @Test
    void theTemplatesUrlsAreTheFunctionsRoutes() {
        String webhook = Infra.read(Infra.root().resolve("functions/src/main/java/io/alertrelay/functions/AlertWebhook.java"));
        String health = Infra.read(Infra.root().resolve("functions/src/main/java/io/alertrelay/functions/Health.java"));
        String routePrefix = group(Infra.read(Infra.root().resolve("host.json")), "\"routePrefix\"\\s*:\\s*\"(\\w+)\"");
        String webhookRoute = group(webhook, "route\\s*=\\s*\"([^\"]+)\"");
        String healthRoute = group(health, "route\\s*=\\s*\"([^\"]+)\"");

        for (JsonNode app : List.of(site, slot)) {
            assertThat(app.at("/properties/siteConfig/healthCheckPath").asText()).isEqualTo("/" + routePrefix + "/" + healthRoute);
        }
        ArmTemplate withExample = new ArmTemplate(template.json(), Map.of(
                "exampleTenant", TextNode.valueOf("contoso"), "exampleTenantToken", TextNode.valueOf("t0k-en_"),
                "exampleFunctionKey", TextNode.valueOf("k/ey==")));
        JsonNode group = Infra.resourceNamed(template.json(), "Microsoft.Insights/actionGroups", "[variables('actionGroupName')]");
        assertThat(withExample.eval(group.get("condition")).asBoolean()).isTrue();
        assertThat(new ArmTemplate(template.json()).eval(group.get("condition")).asBoolean())
                .as("no example action group without its tenant, token and key").isFalse();
        JsonNode receiver = group.at("/properties/webhookReceivers/0");
        assertThat(receiver.path("useCommonAlertSchema").asBoolean()).isTrue();
        assertThat(withExample.text(receiver.get("serviceUri"))).isEqualTo("https://{reference(" + withExample.text(
                TextNode.valueOf("[variables('appId')]")) + ")}.defaultHostName/" + routePrefix + "/"
                + webhookRoute.replace("{tenant}", "contoso") + "?token=t0k-en_&code=k%2Fey%3D%3D");
    }

    /**
     * Issue 9, point 9: with Data Receiver alone the Service Bus scale monitor cannot read the subscription's message
     * count ("does not have Manage claim") and Functions falls back to incremental scaling. Microsoft: "For the
     * Service Bus extension, use Manage rights on resources for the most efficient scaling. With Listen rights
     * scaling reverts to incremental scale" (https://learn.microsoft.com/en-us/azure/azure-functions/functions-target-based-scaling);
     * the trigger's roles are Data Receiver or Data Owner, and for a topic "the role assignment needs to have effective
     * scope over the Service Bus subscription resource" (https://learn.microsoft.com/en-us/azure/azure-functions/functions-bindings-service-bus-trigger).
     * So: Data Owner on each subscription a dequeuer binds (both lanes, issue 14), for both identities, and no broader.
     */
    @Test
    void bothIdentitiesOwnEachLanesSubscriptionSoEachTriggerScalesOnItsBacklog() {
        JsonNode subscriptions = Infra.onlyResource(template.json(), "Microsoft.ServiceBus/namespaces/topics/subscriptions");
        int lanes = template.eval(subscriptions.at("/copy/count")).asInt();
        Map<String, String> settings = evaluated(site);
        Set<String> subscriptionIds = new HashSet<>();
        for (int i = 0; i < lanes; i++) {
            String subscription = template.text(subscriptions.get("name"), i);
            subscriptionIds.add(template.text(TextNode.valueOf(
                    "[resourceId('Microsoft.ServiceBus/namespaces/topics/subscriptions', " + quoted(subscription) + ")]")));
        }
        assertThat(subscriptionIds).as("the subscriptions AlertDequeuer and AlertDequeuerBulk bind").hasSize(2)
                .anyMatch(id -> id.endsWith("/" + settings.get(Settings.ALERTS_SUBSCRIPTION)))
                .anyMatch(id -> id.endsWith("/" + settings.get(Settings.ALERTS_BULK_SUBSCRIPTION)));

        Set<String> granted = grants(template);
        for (String subscriptionId : subscriptionIds) {
            for (String identity : List.of("[variables('appId')]", "[variables('slotId')]")) {
                String principal = "{reference(" + template.text(TextNode.valueOf(identity)) + ")}.identity.principalId";
                assertThat(granted).as("Azure Service Bus Data Owner on %s for %s", subscriptionId, identity)
                        .contains(SERVICE_BUS_DATA_OWNER + " " + principal + " " + subscriptionId);
            }
        }
        assertThat(granted).as("Data Owner is granted on the lanes' subscriptions only, the narrowest scope that works")
                .filteredOn(g -> g.startsWith(SERVICE_BUS_DATA_OWNER + " "))
                .allMatch(g -> subscriptionIds.stream().anyMatch(id -> g.endsWith(" " + id))).hasSize(4);
    }

    static final String SERVICE_BUS_DATA_OWNER = "090c5cfd-751d-490a-894a-3ce6f1109419";
    static final String KEY_VAULT_SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6";

    /**
     * Issue 9, point 5: the pipeline's probe computes the probe tenant's token from the tenant-token-keys secret, so the
     * pipeline principal (parameter pipelinePrincipalId) reads that secret, and no other (not the signing secret).
     */
    @Test
    void thePipelinePrincipalReadsTheTenantTokenKeysSecretOnly() {
        String principal = "11111111-2222-3333-4444-555555555555";
        ArmTemplate withPipeline = new ArmTemplate(template.json(), Map.of("pipelinePrincipalId", TextNode.valueOf(principal)));
        String vault = template.text(TextNode.valueOf("[variables('keyVaultId')]"));
        String secret = vault + "/secrets/" + template.text(TextNode.valueOf("[variables('tenantKeysSecretName')]"));
        assertThat(Infra.read(Scripts.script("probe-slot.sh"))).as("the secret the probe reads")
                .contains("--name " + template.text(TextNode.valueOf("[variables('tenantKeysSecretName')]")));

        Set<String> granted = grants(withPipeline);
        assertThat(granted).contains(KEY_VAULT_SECRETS_USER + " " + principal + " " + secret);
        assertThat(granted).as("nothing of the vault but that secret").filteredOn(g -> g.contains(" " + principal + " ")
                && g.contains(vault)).containsExactly(KEY_VAULT_SECRETS_USER + " " + principal + " " + secret);
        assertThat(grants(template)).as("no principal given, no assignment").noneMatch(g -> g.contains(" " + principal + " "));
    }

    /**
     * Every role assignment the template deploys with its parameters, evaluated per copy: "roleGuid principal scope".
     * Names must be unique; an assignment whose condition is false is not deployed.
     */
    static Set<String> grants(ArmTemplate template) {
        Set<String> granted = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (JsonNode r : Infra.resources(template.json(), "Microsoft.Authorization/roleAssignments")) {
            if (r.has("condition") && !template.eval(r.get("condition")).asBoolean()) {
                continue;
            }
            int count = r.has("copy") ? template.eval(r.at("/copy/count")).asInt() : 1;
            for (int i = 0; i < count; i++) {
                Integer index = r.has("copy") ? i : null;
                String role = template.text(r.at("/properties/roleDefinitionId"), index);
                String principal = template.text(r.at("/properties/principalId"), index);
                String scope = template.text(r.get("scope"), index);
                granted.add(role.substring(role.lastIndexOf('/') + 1) + " " + principal + " " + scope);
                assertThat(names.add(template.text(r.get("name"), index))).as("role assignment names are unique").isTrue();
            }
        }
        return granted;
    }

    /** The host storage account: the one AzureWebJobsStorage__accountName names. */
    static JsonNode hostStorage(ArmTemplate template) {
        JsonNode site = Infra.onlyResource(template.json(), "Microsoft.Web/sites");
        String name = template.text(TextNode.valueOf(Infra.appSettings(site).get("AzureWebJobsStorage__accountName")));
        return Infra.resources(template.json(), "Microsoft.Storage/storageAccounts").stream()
                .filter(a -> template.text(a.get("name")).equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no storage account " + name + " (AzureWebJobsStorage__accountName)"));
    }

    private Map<String, String> evaluated(JsonNode app) {
        Map<String, String> out = new LinkedHashMap<>();
        Infra.appSettings(app).forEach((k, v) -> out.put(k, template.text(TextNode.valueOf(v))));
        return out;
    }

    private static JsonNode setting(JsonNode app, String name) {
        for (JsonNode s : app.at("/properties/siteConfig/appSettings")) {
            if (s.path("name").asText().equals(name)) {
                return s.path("value");
            }
        }
        throw new AssertionError("no setting " + name);
    }

    private static String description(JsonNode columns, String name) {
        for (JsonNode c : columns) {
            if (c.path("name").asText().equals(name)) {
                return c.path("description").asText();
            }
        }
        throw new AssertionError("no column " + name);
    }

    private static List<String> columns(JsonNode columns, boolean withDescription) {
        List<String> out = new ArrayList<>();
        columns.forEach(c -> out.add(c.path("name").asText() + ":" + c.path("type").asText().toLowerCase()
                + (withDescription ? ":" + c.path("description").asText() : "")));
        return out;
    }

    private static List<String> groups(String text, String regex) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        assertThat(out).as("/%s/ in source", regex).isNotEmpty();
        return out;
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("/%s/ in source", regex).isTrue();
        return m.group(1);
    }

    static String quoted(String name) {
        // resourceId('type', 'a', 'b') for a child "a/b"
        StringBuilder sb = new StringBuilder();
        for (String part : name.split("/")) {
            sb.append(sb.length() == 0 ? "" : ", ").append('\'').append(part).append('\'');
        }
        return sb.toString();
    }
}
