package io.alertrelay.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.intake.TenantTokens;
import io.alertrelay.settings.Secret;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * infra/pipeline/probe.sh (issue 9, point 5) against a local stand-in for the app ({@link ProbeStub}): it posts a
 * fresh common-schema notification for alertrelay-probe with the right token and function key, insists on 202 with
 * type io.alertrelay.probe, then reads the event's status with the master key until it is delivered; it fails at
 * once on rejected, dead-lettered or superseded, gives up after its timeout, and never prints a key or a token.
 */
class ProbeScriptTest {

    static final String TENANT = "alertrelay-probe";
    static final String TOKEN_KEYS = "  current-token-key-0123456789 , previous-token-key-9876543210";
    static final String WEBHOOK_KEY = "wh+key/with=special&chars==";
    static final String ADMIN_KEY = "master-key-Zm9vYmFy/+==";

    private ProbeStub app;

    @BeforeEach
    void start() throws IOException {
        NodeTool.require(SmokeTestScriptTest.commandWorks("bash", "--version")
                && SmokeTestScriptTest.commandWorks("curl", "--version")
                && SmokeTestScriptTest.commandWorks("openssl", "version"), "bash, curl and openssl");
        app = new ProbeStub(ADMIN_KEY);
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void postsAFreshCommonSchemaAlertThenWaitsUntilItIsDelivered() {
        app.status = n -> n == 1 ? new ProbeStub.Answer(404, "{}")
                : ProbeStub.eventStatus(app.posts.get(0).event().id(), n == 2 ? "received" : "delivered");
        Instant before = Instant.now();

        NodeTool.Result result = probe(List.of());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(app.posts).hasSize(1);
        ProbeStub.Post post = app.posts.get(0);
        String token = new TenantTokens(List.of(new Secret("current-token-key-0123456789"))).tokenFor(TENANT);
        assertThat(post.query()).containsEntry("token", token).containsEntry("code", WEBHOOK_KEY);
        assertThat(post.contentType()).isEqualTo("application/json");
        // what the real normaliser makes of it: Microsoft's common alert schema, a new alert, fired now
        assertThat(post.event().data().schema()).isEqualTo("common");
        assertThat(post.event().data().condition()).isEqualTo("Fired");
        assertThat(post.event().data().alertId()).matches(
                "/subscriptions/0{8}-0{4}-0{4}-0{4}-0{12}/providers/Microsoft\\.AlertsManagement/alerts/[0-9a-f-]{36}");
        assertThat(Duration.between(before, post.event().time()).abs()).isLessThan(Duration.ofMinutes(1));
        String id = post.event().id();
        assertThat(app.gets).hasSize(3).allSatisfy(get -> {
            assertThat(get.path()).isEqualTo("/api/events/" + TENANT + "/" + id);
            assertThat(get.functionsKey()).isEqualTo(ADMIN_KEY);
        });
        assertThat(result.output()).contains("accepted: 202, event " + id + ", type io.alertrelay.probe")
                .contains("not stored yet (404)").contains("received, not delivered yet").contains("delivered: event " + id);
        assertNoSecretIn(result.output(), token);
    }

    @Test
    void everyRunIsANewAlertSoDuplicateDetectionNeverDropsIt() {
        app.status = n -> ProbeStub.eventStatus(app.posts.get(app.posts.size() - 1).event().id(), "delivered");

        assertThat(probe(List.of()).exitCode()).isZero();
        assertThat(probe(List.of()).exitCode()).isZero();

        assertThat(app.posts).hasSize(2);
        assertThat(app.posts.get(0).event().data().alertId()).isNotEqualTo(app.posts.get(1).event().data().alertId());
        assertThat(app.posts.get(0).event().id()).isNotEqualTo(app.posts.get(1).event().id());
    }

    @ParameterizedTest
    @ValueSource(strings = {"rejected", "deadlettered", "superseded"})
    void aFinalStatusOtherThanDeliveredFailsAtOnce(String status) {
        app.status = n -> ProbeStub.eventStatus(app.posts.get(0).event().id(), status);

        NodeTool.Result result = probe(List.of());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(app.gets).as("no further polling").hasSize(1);
        assertThat(result.output()).contains("FAILED: event " + app.posts.get(0).event().id() + " is " + status);
        assertNoSecretIn(result.output(), null);
    }

    @Test
    void givesUpAfterItsTimeoutWithAClearMessage() {
        NodeTool.Result result = probe(List.of("--timeout", "1"));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("FAILED: gave up after 1s: event " + app.posts.get(0).event().id()
                + " is not stored yet (404)");
        assertThat(app.gets.size()).as("polled until the deadline (whole seconds)").isBetween(1, 15);
        assertNoSecretIn(result.output(), null);
    }

    @Test
    void aWebhookThatDoesNotTypeItAsAProbeFails() {
        app.webhook = (n, id) -> new ProbeStub.Answer(202, "{\"id\":\"" + id + "\",\"type\":\"io.alertrelay.alert.fired\"}");

        NodeTool.Result result = probe(List.of());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("typed the probe 'io.alertrelay.alert.fired', not io.alertrelay.probe");
        assertThat(app.gets).isEmpty();
    }

    @Test
    void retriesWhatAzureMonitorWouldRetryWithTheSameNotification() {
        app.webhook = (n, id) -> n == 1 ? new ProbeStub.Answer(503, "{\"title\":\"Service unavailable\"}")
                : new ProbeStub.Answer(202, "{\"id\":\"" + id + "\",\"type\":\"io.alertrelay.probe\"}");
        app.status = n -> ProbeStub.eventStatus(app.posts.get(0).event().id(), "delivered");

        NodeTool.Result result = probe(List.of("--interval", "0.2"));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(app.posts).hasSize(2);
        assertThat(app.posts.get(1).event().id()).isEqualTo(app.posts.get(0).event().id());
        assertThat(result.output()).contains("webhook answered HTTP 503, retrying");
    }

    @Test
    void aRefusedWebhookOrAWrongMasterKeyFailsAtOnce() {
        app.webhook = (n, id) -> new ProbeStub.Answer(401, "{\"title\":\"Unauthorized\",\"status\":401}");
        NodeTool.Result refused = probe(List.of());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.output()).contains("the webhook refused the probe: HTTP 401");
        assertThat(app.posts).hasSize(1);

        app.webhook = (n, id) -> new ProbeStub.Answer(202, "{\"id\":\"" + id + "\",\"type\":\"io.alertrelay.probe\"}");
        NodeTool.Result wrongKey = probe(List.of("--admin-key", "not-the-master-key"));
        assertThat(wrongKey.exitCode()).isEqualTo(1);
        assertThat(wrongKey.output()).contains("the status read was refused (HTTP 401)");
        assertThat(app.gets).hasSize(1);
        assertThat(wrongKey.output()).doesNotContain("not-the-master-key");
    }

    @Test
    void webhookOnlyStopsAtTheAcceptanceAndNeedsNoMasterKey() {
        Map<String, String> env = env();
        env.remove("PROBE_ADMIN_KEY");

        NodeTool.Result result = Scripts.bash(Scripts.script("probe.sh"), List.of("--webhook-only"), env, null, 60);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(app.posts).hasSize(1);
        assertThat(app.gets).isEmpty();
        assertThat(result.output()).contains("webhook only: not waiting for delivery");
    }

    @Test
    void aGivenTokenIsUsedAsIsAndFlagsWorkLikeTheEnvironment() {
        app.status = n -> ProbeStub.eventStatus(app.posts.get(0).event().id(), "delivered");
        List<String> flags = List.of("--base-url", app.baseUrl() + "/", "--token", "given-token", "--webhook-key", WEBHOOK_KEY,
                "--admin-key", ADMIN_KEY, "--timeout", "30", "--interval", "0.2");

        NodeTool.Result result = Scripts.bash(Scripts.script("probe.sh"), flags, Map.of(), null, 60);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(app.posts.get(0).query()).containsEntry("token", "given-token").containsEntry("code", WEBHOOK_KEY);
        assertThat(result.output()).doesNotContain("given-token");
    }

    private NodeTool.Result probe(List<String> args) {
        List<String> all = new ArrayList<>(List.of("--interval", "0.2"));
        all.addAll(args);
        return Scripts.bash(Scripts.script("probe.sh"), all, env(), null, 60);
    }

    private Map<String, String> env() {
        return new HashMap<>(Map.of("PROBE_BASE_URL", app.baseUrl(), "TENANT_TOKEN_KEYS", TOKEN_KEYS,
                "PROBE_WEBHOOK_KEY", WEBHOOK_KEY, "PROBE_ADMIN_KEY", ADMIN_KEY, "PROBE_TIMEOUT", "30"));
    }

    /** No key, no token, no query string in what the probe prints. */
    static void assertNoSecretIn(String output, String token) {
        assertThat(output).doesNotContain(ADMIN_KEY).doesNotContain(WEBHOOK_KEY)
                .doesNotContain("current-token-key-0123456789").doesNotContain("previous-token-key-9876543210")
                .doesNotContain("token=").doesNotContain("code=").doesNotContain("wh%2Bkey");
        if (token != null) {
            assertThat(output).doesNotContain(token);
        }
    }
}
