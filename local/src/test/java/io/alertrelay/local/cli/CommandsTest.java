package io.alertrelay.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.intake.TenantTokens;
import io.alertrelay.local.Banner;
import io.alertrelay.local.LocalRuntime;
import io.alertrelay.local.RuntimeOptions;
import io.alertrelay.settings.Secret;
import io.alertrelay.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands next to run, against a running local runtime, as a person types them. */
class CommandsTest {

    private static final String TOKEN_KEY = "local-development-key-not-a-secret"; // local.settings.sample.json

    @TempDir
    Path dir;
    private Path project;
    private LocalRuntime runtime;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws IOException {
        project = Files.createDirectories(dir.resolve("project"));
        Path root = Path.of(System.getProperty("alertrelay.root", ".."));
        Files.copy(root.resolve("host.json"), project.resolve("host.json"));
        Files.copy(root.resolve("local.settings.sample.json"), project.resolve("local.settings.sample.json"));
        runtime = LocalRuntime.start(RuntimeOptions.forProject(project).dataDir(dir.resolve("data")).httpPort(0)
                .drainTimeout(Duration.ofSeconds(20)).build());
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    @Test
    void tokenPrintsTheTenantsTokenMadeWithTheFirstKey() {
        assertThat(run("token", "fabrikam")).isZero();

        assertThat(out()).isEqualTo(new TenantTokens(List.of(new Secret(TOKEN_KEY))).tokenFor("fabrikam") + "\n");
    }

    @Test
    void sendPostsEveryFixtureOfADirectoryAndPrintsEachAnswer() {
        int status = run("send", Fixtures.directory().toString(), "--url", runtime.baseUri().toString());

        assertThat(status).as("the invalid fixture is not accepted").isEqualTo(1);
        List<String> lines = out().lines().toList();
        assertThat(lines).filteredOn(l -> l.contains(" → 202 ")).hasSizeGreaterThanOrEqualTo(19);
        assertThat(lines).anyMatch(l -> l.startsWith("legacy-activitylog-common-skeleton.json → 400 "));
        assertThat(lines).last().isEqualTo("1 not accepted");
    }

    @Test
    void sendToNothingSaysNothingListens() throws IOException {
        Path file = Fixtures.directory().resolve("test-metric-static.json");

        int status = run("send", file.toString(), "--url", "http://127.0.0.1:1");

        assertThat(status).isEqualTo(1);
        assertThat(out()).contains("nothing listens at 127.0.0.1:1");
    }

    @Test
    void loadPrintsThroughputAndLatenciesOfThePipelineAndOfTheNoopBaseline() {
        int status = run("load", "--count", "60", "--concurrency", "4", "--warmup", "0", "--timeout", "60",
                "--url", runtime.baseUri().toString());

        assertThat(status).as(out()).isZero();
        assertThat(out()).contains("webhook   60 requests: 60 × 202")
                .contains("delivered 60 of 60 accepted")
                .contains("noop      60 requests: 60 × 202")
                .containsPattern("end-to-end latency p50 [0-9.]+ ms, p99 [0-9.]+ ms")
                .containsPattern("ratio +webhook accepted/s ÷ noop accepted/s = [0-9.]+");
    }

    @Test
    void theBannerGivesTheWebhookACurlTheDataAndHowToStopAndNoSecretButTheDemoToken() {
        String banner = Banner.of(runtime, "demo", project);
        String token = new TenantTokens(List.of(new Secret(TOKEN_KEY))).tokenFor("demo");

        assertThat(banner).contains(runtime.baseUri() + "/api/alerts/demo?token=" + token)
                .contains("curl -i -X POST '" + runtime.baseUri() + "/api/alerts/demo?token=" + token + "'")
                .contains("--data-binary @local/samples/demo-metric-alert.json")
                .contains(dir.resolve("data").toString())
                .contains("Ctrl-C")
                .doesNotContain(TOKEN_KEY)
                .doesNotContain("whsec_")
                .doesNotContain("SharedAccessKey");
        assertThat(Path.of(System.getProperty("alertrelay.root", "..")).resolve(Banner.SAMPLE)).isRegularFile();
    }

    @Test
    void anUnknownCommandPrintsTheUsage() {
        assertThat(run("deploy")).isEqualTo(64);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command deploy").contains("usage:");
    }

    private int run(String... args) {
        return Commands.run(List.of(args), project, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }
}
