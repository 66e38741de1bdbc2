package io.alertrelay.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reads what azure-functions-maven-plugin wrote in the package phase: the deployable folder the Functions host
 * loads. Runs in the integration-test phase, after packaging.
 */
class FunctionJsonIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path staging = Path.of(System.getProperty("functions.staging", "target/azure-functions/alert-relay"));

    @Test
    void packageHoldsExactlyTheSixFunctionsHostJsonAndTheJar() throws IOException {
        List<String> functions = new ArrayList<>();
        try (var entries = Files.list(staging)) {
            entries.filter(p -> Files.exists(p.resolve("function.json")))
                    .forEach(p -> functions.add(p.getFileName().toString()));
        }
        assertThat(functions).containsExactlyInAnyOrder("AlertWebhook", "AlertDequeuer", "AlertDequeuerBulk", "Health",
                "EventStatus", "Replay");
        assertThat(staging.resolve("host.json")).exists();
        try (var entries = Files.list(staging)) {
            assertThat(entries.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("alert-relay-functions") && n.endsWith(".jar"));
        }
        assertThat(staging.resolve("lib")).isDirectory();
    }

    @Test
    void alertWebhookIsAFunctionKeyPostOnAlertsTenantWithARawBody() throws IOException {
        JsonNode fn = functionJson("AlertWebhook");
        assertThat(fn.path("entryPoint").asText()).isEqualTo("io.alertrelay.functions.AlertWebhook.run");
        JsonNode trigger = binding(fn, "httpTrigger");
        assertThat(trigger.path("direction").asText()).isEqualTo("in");
        assertThat(trigger.path("route").asText()).isEqualTo("alerts/{tenant}");
        assertThat(texts(trigger.path("methods"))).containsExactly("POST");
        assertThat(trigger.path("authLevel").asText()).isEqualTo("FUNCTION");
        assertThat(trigger.path("dataType").asText()).isEqualTo("binary");
        assertThat(binding(fn, "http").path("direction").asText()).isEqualTo("out");
    }

    @Test
    void alertDequeuerIsTriggeredByTheTopicSubscriptionNamedInAppSettings() throws IOException {
        assertDequeuer("AlertDequeuer", "run", "%ALERTS_SUBSCRIPTION%");
    }

    /** Issue 14: the bulk lane is a function of its own, so it has its own message pump and concurrency. */
    @Test
    void alertDequeuerBulkIsTriggeredByTheBulkLanesSubscriptionNamedInAppSettings() throws IOException {
        assertDequeuer("AlertDequeuerBulk", "runBulk", "%ALERTS_BULK_SUBSCRIPTION%");
    }

    private void assertDequeuer(String name, String method, String subscription) throws IOException {
        JsonNode fn = functionJson(name);
        assertThat(fn.path("entryPoint").asText()).isEqualTo("io.alertrelay.functions.AlertDequeuer." + method);
        JsonNode trigger = binding(fn, "serviceBusTrigger");
        assertThat(trigger.path("direction").asText()).isEqualTo("in");
        assertThat(trigger.path("topicName").asText()).isEqualTo("%ALERTS_TOPIC%");
        assertThat(trigger.path("subscriptionName").asText()).isEqualTo(subscription);
        assertThat(trigger.path("connection").asText()).isEqualTo("ServiceBusConnection");
        assertThat(trigger.path("dataType").asText()).as("the body binds to byte[] only as binary").isEqualTo("binary");
        assertThat(fn.path("bindings")).hasSize(1);
    }

    @Test
    void healthIsAnAnonymousGet() throws IOException {
        JsonNode fn = functionJson("Health");
        JsonNode trigger = binding(fn, "httpTrigger");
        assertThat(trigger.path("route").asText()).isEqualTo("health");
        assertThat(texts(trigger.path("methods"))).containsExactly("GET");
        assertThat(trigger.path("authLevel").asText()).isEqualTo("ANONYMOUS");
    }

    @Test
    void eventStatusIsAnAdminLevelGetSoNoHostKeyOpensIt() throws IOException {
        JsonNode fn = functionJson("EventStatus");
        JsonNode trigger = binding(fn, "httpTrigger");
        assertThat(trigger.path("route").asText()).isEqualTo("events/{tenant}/{id}");
        assertThat(texts(trigger.path("methods"))).containsExactly("GET");
        assertThat(trigger.path("authLevel").asText()).isEqualTo("ADMIN");
    }

    @Test
    void replayIsAnAdminLevelJsonPostOutsideTheHostsReservedAdminRoutes() throws IOException {
        JsonNode fn = functionJson("Replay");
        assertThat(fn.path("entryPoint").asText()).isEqualTo("io.alertrelay.functions.Replay.run");
        JsonNode trigger = binding(fn, "httpTrigger");
        assertThat(trigger.path("route").asText()).isEqualTo("replay");
        assertThat(texts(trigger.path("methods"))).containsExactly("POST");
        assertThat(trigger.path("authLevel").asText()).isEqualTo("ADMIN");
        assertThat(trigger.path("dataType").asText()).isEqualTo("binary");
    }

    @Test
    void hostJsonUsesBundleFourAndSettlesServiceBusMessagesAutomatically() throws IOException {
        JsonNode host = JSON.readTree(staging.resolve("host.json").toFile());
        assertThat(host.path("version").asText()).isEqualTo("2.0");
        assertThat(host.path("extensionBundle").path("id").asText()).isEqualTo("Microsoft.Azure.Functions.ExtensionBundle");
        assertThat(host.path("extensionBundle").path("version").asText()).isEqualTo("[4.*, 5.0.0)");
        JsonNode sb = host.path("extensions").path("serviceBus");
        assertThat(sb.path("autoCompleteMessages").asBoolean(false)).isTrue();
        assertThat(sb.path("maxConcurrentCalls").asInt()).isGreaterThan(1);
        assertThat(sb.path("maxAutoLockRenewalDuration").asText()).matches("\\d\\d:\\d\\d:\\d\\d");
        assertThat(host.path("functionTimeout").asText()).matches("\\d\\d:\\d\\d:\\d\\d");
        assertThat(host.path("extensions").path("http").path("routePrefix").asText()).isEqualTo("api");
    }

    /**
     * At most 16 HTTP invocations at once, the rest queued, none refused: a maxOutstandingRequests would answer 429
     * beyond it (docs/deploy.md, "How many webhook calls run at once").
     */
    @Test
    void hostJsonBoundsTheWebhooksConcurrencyWithoutRefusingRequests() throws IOException {
        JsonNode http = JSON.readTree(staging.resolve("host.json").toFile()).path("extensions").path("http");
        assertThat(http.path("maxConcurrentRequests").isInt()).as(http.toString()).isTrue();
        assertThat(http.path("maxConcurrentRequests").asInt()).isEqualTo(16);
        assertThat(http.has("maxOutstandingRequests")).as(http.toString()).isFalse();
        assertThat(http.has("dynamicThrottlesEnabled")).as(http.toString()).isFalse();
    }

    private JsonNode functionJson(String name) throws IOException {
        return JSON.readTree(staging.resolve(name).resolve("function.json").toFile());
    }

    private static JsonNode binding(JsonNode fn, String type) {
        for (JsonNode b : fn.path("bindings")) {
            if (type.equals(b.path("type").asText())) {
                return b;
            }
        }
        throw new AssertionError("no binding of type " + type + " in " + fn);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
