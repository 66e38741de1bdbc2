package io.alertrelay.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.intake.TenantTokens;
import io.alertrelay.settings.Secret;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * infra/pipeline/probe-slot.sh, the pipeline's way to run the probe: it fetches the slot's keys and the token keys with
 * a (fake) az, hands them to probe.sh through the environment, and prints none of them.
 */
class ProbeSlotScriptTest {

    static final String FUNCTION_KEY = "fn+key/abc==";
    static final String MASTER_KEY = "master/key+xyz==";
    static final String SECRET = "the-current-key,the-old-key";

    @TempDir
    Path dir;
    private Path bin;
    private Path log;
    private ProbeStub app;

    @BeforeEach
    void fakes() throws IOException {
        NodeTool.require(SmokeTestScriptTest.commandWorks("bash", "--version")
                && SmokeTestScriptTest.commandWorks("curl", "--version")
                && SmokeTestScriptTest.commandWorks("openssl", "version"), "bash, curl and openssl");
        bin = dir.resolve("bin");
        log = dir.resolve("az.log");
        Scripts.fakeAz(bin);
        app = new ProbeStub(MASTER_KEY);
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void afterASwapItProbesProductionAllTheWayToDelivery() {
        app.status = n -> ProbeStub.eventStatus(app.posts.get(0).event().id(), "delivered");

        NodeTool.Result result = run(List.of());

        assertThat(result.exitCode()).as(result.output()).isZero();
        List<List<String>> calls = Scripts.calls(log);
        assertThat(calls).extracting(c -> String.join(" ", c.subList(0, 4))).containsExactlyInAnyOrder(
                "functionapp function keys list", "functionapp keys list --resource-group", "keyvault secret show --vault-name");
        assertThat(calls).allSatisfy(c -> assertThat(c).doesNotContain("--slot"));
        List<String> secret = calls.stream().filter(c -> c.get(0).equals("keyvault")).findFirst().orElseThrow();
        assertThat(Scripts.option(secret, "--vault-name")).isEqualTo("alertrelay-kv");
        assertThat(Scripts.option(secret, "--name")).isEqualTo("tenant-token-keys");
        List<String> functionKeys = calls.stream().filter(c -> c.get(1).equals("function")).findFirst().orElseThrow();
        assertThat(Scripts.option(functionKeys, "--function-name")).isEqualTo("AlertWebhook");

        ProbeStub.Post post = app.posts.get(0);
        assertThat(post.query()).containsEntry("code", FUNCTION_KEY)
                .containsEntry("token", new TenantTokens(List.of(new Secret("the-current-key"))).tokenFor("alertrelay-probe"));
        assertThat(app.gets).allSatisfy(g -> assertThat(g.functionsKey()).isEqualTo(MASTER_KEY));
        assertThat(result.output()).contains("probing alertrelay-app at " + app.baseUrl())
                .doesNotContain(FUNCTION_KEY).doesNotContain(MASTER_KEY).doesNotContain("the-current-key")
                .doesNotContain("the-old-key").doesNotContain("token=").doesNotContain("code=");
    }

    @Test
    void onStagingItProbesTheWebhookOfTheSlotOnly() {
        NodeTool.Result result = run(List.of("--slot", "staging", "--webhook-only"));

        assertThat(result.exitCode()).as(result.output()).isZero();
        List<List<String>> calls = Scripts.calls(log);
        assertThat(calls).as("no master key is fetched for the webhook half")
                .noneMatch(c -> String.join(" ", c).startsWith("functionapp keys list"));
        assertThat(calls).filteredOn(c -> c.get(0).equals("functionapp"))
                .allSatisfy(c -> assertThat(Scripts.option(c, "--slot")).isEqualTo("staging")).isNotEmpty();
        assertThat(app.posts).hasSize(1);
        assertThat(app.gets).isEmpty();
        assertThat(result.output()).contains("probing alertrelay-app (slot staging)");
    }

    @Test
    void withoutABaseUrlItProbesTheSlotsHostOverHttps() {
        Map<String, String> env = env();
        env.remove("PROBE_BASE_URL");
        env.put("FAKE_AZ_HOST", "127.0.0.1:1");
        env.put("PROBE_TIMEOUT", "1");

        NodeTool.Result result = Scripts.bash(Scripts.script("probe-slot.sh"), List.of("--webhook-only"), env, bin, 60);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(Scripts.calls(log)).anyMatch(c -> String.join(" ", c).startsWith("functionapp show"));
        assertThat(result.output()).contains("probing alertrelay-app at https://127.0.0.1:1")
                .contains("the webhook did not accept the probe within 1s").doesNotContain(FUNCTION_KEY);
    }

    private NodeTool.Result run(List<String> args) {
        return Scripts.bash(Scripts.script("probe-slot.sh"), args, env(), bin, 60);
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>(Map.of("FAKE_AZ_LOG", log.toString(), "FAKE_AZ_FUNCTION_KEY", FUNCTION_KEY,
                "FAKE_AZ_MASTER_KEY", MASTER_KEY, "FAKE_AZ_SECRET", SECRET, "AZURE_RESOURCE_GROUP", "alert-relay",
                "FUNCTION_APP_NAME", "alertrelay-app", "KEY_VAULT_NAME", "alertrelay-kv"));
        env.putAll(Map.of("PROBE_BASE_URL", app.baseUrl(), "PROBE_INTERVAL", "0.2", "PROBE_TIMEOUT", "30"));
        return env;
    }
}
