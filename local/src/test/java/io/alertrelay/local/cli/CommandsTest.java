package io.alertrelay.local.cli;

import static io.alertrelay.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.intake.TenantTokens;
import io.alertrelay.local.Banner;
import io.alertrelay.local.LocalRuntime;
import io.alertrelay.local.RuntimeOptions;
import io.alertrelay.local.platform.SamplePlatformReceiver;
import io.alertrelay.settings.Secret;
import io.alertrelay.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every command as a person types it: its help, its usage errors (exit 2, the one line that matters first on standard
 * error), its failures (exit 1) and its work (exit 0), against a running local runtime where it needs one.
 */
class CommandsTest {

    private static final String TOKEN_KEY = "local-development-key-not-a-secret"; // local.settings.sample.json
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NOTHING_LISTENS = "alert-relay: nothing listens at 127.0.0.1:1 (is ./alert-relay run"
            + " running?";

    @TempDir
    Path dir;
    private Path project;
    private LocalRuntime runtime;
    private ByteArrayOutputStream out = new ByteArrayOutputStream();
    private ByteArrayOutputStream err = new ByteArrayOutputStream();
    private byte[] stdin = new byte[0];

    @BeforeEach
    void project() throws IOException {
        project = Files.createDirectories(dir.resolve("project"));
        Path root = Path.of(System.getProperty("alertrelay.root", ".."));
        Files.copy(root.resolve("host.json"), project.resolve("host.json"));
        Files.copy(root.resolve("local.settings.sample.json"), project.resolve("local.settings.sample.json"));
    }

    /** A running pipeline, started for the tests that talk to one. */
    private LocalRuntime pipeline() {
        if (runtime == null) {
            runtime = LocalRuntime.start(RuntimeOptions.forProject(project).dataDir(dir.resolve("data")).httpPort(0)
                    .drainTimeout(Duration.ofSeconds(20)).build());
        }
        return runtime;
    }

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    // --- help: every command, standard output, exit 0, nothing started ---

    @ParameterizedTest
    @ValueSource(strings = {"run", "send", "token", "load", "outage"})
    void everyCommandPrintsItsHelpWithItsOptionsAndExitCodesAndExitsZero(String command) {
        assertThat(run(command, "--help")).isZero();

        assertThat(out()).startsWith(headerOf(command)).contains("Usage: ./alert-relay " + command + " [-h]")
                .contains("-h, --help").contains("Exit status:").contains("2   a usage or settings error");
        assertThat(err()).isEmpty();
        assertThat(runtime).as("help starts nothing").isNull();
    }

    @Test
    void theHelpOfRunAndLoadNamesTheirOptionsWithDefaults() {
        assertThat(run("run", "--help")).isZero();
        assertThat(out().replaceAll("\\s+", " ")).contains("--port=PORT").contains("default 7071").contains("--data-dir=DIR")
                .contains("--tenant=TENANT");
        out.reset();
        assertThat(run("load", "-h")).isZero();
        assertThat(out().replaceAll("\\s+", " ")).contains("--count=N").contains("default 1000").contains("--concurrency=C")
                .contains("--timeout=SECONDS").contains("--warmup=N").contains("--file=SAMPLE").contains("--url=URL");
    }

    @Test
    void helpAndDashDashHelpListEveryCommand() {
        assertThat(run("--help")).isZero();
        String help = out();
        out.reset();
        assertThat(run("help")).isZero();

        assertThat(out()).isEqualTo(help);
        assertThat(help).contains("Usage: ./alert-relay [-hV] COMMAND");
        for (String command : List.of("run", "send", "token", "load", "outage", "help")) {
            assertThat(help).containsPattern("(?m)^  " + command + " +\\S");
        }
    }

    @Test
    void helpOfACommandIsItsHelp() {
        assertThat(run("help", "send")).isZero();

        assertThat(out()).contains("Usage: ./alert-relay send").contains("--unique");
    }

    // --- usage errors: exit 2, the error first on standard error, then the synopsis ---

    @Test
    void noCommandIsAUsageErrorThatListsTheCommands() {
        assertThat(run()).isEqualTo(Commands.USAGE);

        assertThat(firstErrLine()).isEqualTo("alert-relay: which command? run, send, token, load, outage, replay, onboard or help");
        assertThat(err()).contains("Commands:");
        assertThat(out()).isEmpty();
    }

    @Test
    void anUnknownCommandIsAUsageErrorNamingIt() {
        assertThat(run("deploy")).isEqualTo(Commands.USAGE);

        assertThat(firstErrLine()).startsWith("alert-relay: ").contains("'deploy'");
        assertThat(out()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"run", "send x.json", "token demo", "load", "outage on"})
    void anUnknownOptionIsAUsageErrorNamedOnTheFirstLineThenTheSynopsis(String commandLine) {
        String command = commandLine.split(" ")[0];
        List<String> args = new ArrayList<>(List.of(commandLine.split(" ")));
        args.add("--bogus");

        assertThat(run(args.toArray(String[]::new))).isEqualTo(Commands.USAGE);

        List<String> lines = err().lines().toList();
        assertThat(lines.get(0)).isEqualTo("alert-relay: Unknown option: '--bogus'");
        assertThat(err()).contains("Usage: ./alert-relay " + command)
                .contains("Try './alert-relay " + command + " --help' for more.");
        assertThat(out()).isEmpty();
        assertThat(runtime).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "run --port 70000|--port must be within 0..65535: 70000",
        "run --port seven|Invalid value for option '--port': 'seven' is not an int",
        "run --tenant Not_A_Tenant|tenant must be lower-case letters, digits and dashes",
        "send|Missing required parameter: 'FILE|DIR'",
        "send no-such-file.json|no such file or directory: no-such-file.json",
        "send --url ftp://127.0.0.1 x.json|--url must be an http:// or https:// address: ftp://127.0.0.1",
        "token|Missing required parameter: 'TENANT'",
        "token Not_A_Tenant|tenant must be lower-case letters, digits and dashes",
        "token demo --key-from-vault not/a/vault|--key-from-vault takes a vault name",
        "token demo --key-from-vault kv-demo --key -|--key-from-vault=VAULT, --key=- are mutually exclusive",
        "load --count 0|--count must be at least 1: 0",
        "load --concurrency 0|--concurrency must be at least 1: 0",
        "load --timeout 0|--timeout must be at least 1: 0",
        "load --warmup -1|--warmup must be at least 0: -1",
        "load --file no-such-sample.json|no such file: no-such-sample.json",
        "load --noisy 0|--noisy must be at least 1: 0",
        "load --noisy 5 --count 5|--noisy N is the flood's size: give it without --count",
        "load --noisy 5 --quiet-tenant load|--quiet-tenant must differ from --tenant: load",
        "load --noisy 5 --quiet-tenant Quiet|tenant must be lower-case letters, digits and dashes",
        "load --noisy 5 --trickle-ms 0|--trickle-ms must be at least 1: 0",
        "outage|Missing required parameter: 'on|off'",
        "outage maybe|expected one of [on, off] (case-insensitive) but was 'maybe'",
    })
    void aBadArgumentIsAUsageErrorThatSaysWhatIsWrongFirst(String commandLine, String message) {
        assertThat(run(commandLine.split(" "))).as(err()).isEqualTo(Commands.USAGE);

        assertThat(firstErrLine()).startsWith("alert-relay: ").contains(message);
        assertThat(err()).contains("Usage: ./alert-relay " + commandLine.split(" ")[0]);
        assertThat(out()).isEmpty();
    }

    // --- failures: exit 1 ---

    @Test
    void sendToNothingSaysNothingListensAndAsksWhetherThePipelineRuns() {
        Path file = Fixtures.directory().resolve("test-metric-static.json");

        assertThat(run("send", file.toString(), "--url", "http://127.0.0.1:1")).isEqualTo(Commands.FAILED);

        assertThat(firstErrLine()).startsWith(NOTHING_LISTENS);
        assertThat(out()).isEmpty();
    }

    @Test
    void loadAgainstAStoppedPipelineSaysWhatSendSays() {
        assertThat(run("load", "--url", "http://127.0.0.1:1", "--count", "5")).isEqualTo(Commands.FAILED);

        assertThat(err()).startsWith(NOTHING_LISTENS).doesNotContain("ConnectException");
        assertThat(err().strip().lines()).hasSize(1);
    }

    @Test
    void outageAgainstAStoppedPipelineSaysWhatSendSays() {
        assertThat(run("outage", "on", "--url", "http://127.0.0.1:1")).isEqualTo(Commands.FAILED);

        assertThat(err()).startsWith(NOTHING_LISTENS);
    }

    @Test
    void runOnAPortInUseFailsWithExitOneNamingThePort() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int status = run("run", "--port", String.valueOf(taken.getLocalPort()), "--data-dir",
                    dir.resolve("data-run").toString());

            assertThat(status).isEqualTo(Commands.FAILED);
            assertThat(err()).startsWith("alert-relay: port " + taken.getLocalPort() + " is in use");
        }
    }

    @Test
    void aMalformedSettingsFileIsASettingsErrorWithExitTwoGivingLineAndColumn() throws IOException {
        Files.writeString(project.resolve("local.settings.json"),
                "{\n  \"Values\": {\n    \"MAX_DELIVERY_COUNT\": \"5\"\n    \"STORE_TTL_DAYS\": \"7\"\n  }\n}\n");

        assertThat(run("token", "demo")).isEqualTo(Commands.USAGE);

        assertThat(firstErrLine()).startsWith("alert-relay: local.settings.json is not valid JSON at line 4, column 5");
    }

    // --- the work: exit 0 ---

    @Test
    void tokenPrintsTheTenantsTokenMadeWithTheFirstKeyAndNotesTheDevelopmentKeyOnStandardError() {
        assertThat(run("token", "fabrikam")).isZero();

        assertThat(out()).isEqualTo(new TenantTokens(List.of(new Secret(TOKEN_KEY))).tokenFor("fabrikam") + "\n");
        assertThat(err()).contains("development key").contains("--key-from-vault").doesNotContain(TOKEN_KEY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--key=-", "--key-stdin"})
    void tokenTakesTheKeyFromStandardInputUsesItsFirstEntryAndNeverPrintsIt(String option) {
        stdin = "azure-current-key,azure-previous-key\n".getBytes(StandardCharsets.UTF_8);

        assertThat(run("token", "contoso", option)).isZero();

        assertThat(out()).isEqualTo(new TenantTokens(List.of(new Secret("azure-current-key"))).tokenFor("contoso") + "\n");
        assertThat(out() + err()).doesNotContain("azure-current-key").doesNotContain("azure-previous-key");
    }

    @Test
    void tokenRefusesAKeyOnTheCommandLineWithoutEchoingIt() {
        assertThat(run("token", "contoso", "--key", "typed-secret-key")).isEqualTo(Commands.USAGE);

        assertThat(firstErrLine()).contains("--key takes only '-'");
        assertThat(out() + err()).doesNotContain("typed-secret-key");
    }

    @Test
    void tokenWithNothingOnStandardInputIsAUsageError() {
        assertThat(run("token", "contoso", "--key", "-")).isEqualTo(Commands.USAGE);

        assertThat(firstErrLine()).isEqualTo("alert-relay: no key on standard input (--key -)");
    }

    @Test
    void sendPostsEveryFixtureOfADirectoryAndPrintsEachAnswer() {
        int status = run("send", Fixtures.directory().toString(), "--url", pipeline().baseUri().toString());

        assertThat(status).as("the invalid fixture is not accepted").isEqualTo(Commands.FAILED);
        List<String> lines = out().lines().toList();
        assertThat(lines).filteredOn(l -> l.contains(" → 202 ")).hasSizeGreaterThanOrEqualTo(19);
        assertThat(lines).anyMatch(l -> l.startsWith("legacy-activitylog-common-skeleton.json → 400 "));
        assertThat(lines).last().isEqualTo("1 not accepted");
    }

    @Test
    void sendingTheSampleTwiceIsOneEventAndTheStatusPageCountsTheDroppedDuplicate() throws Exception {
        Path sample = Path.of(System.getProperty("alertrelay.root", "..")).resolve(Banner.SAMPLE);
        String url = pipeline().baseUri().toString();

        assertThat(run("send", sample.toString(), sample.toString(), "--url", url)).isZero();

        List<String> ids = acceptedIds();
        assertThat(ids).hasSize(2).containsOnly(ids.get(0));
        JsonNode status = await("the duplicate to be counted", Duration.ofSeconds(30), this::status,
                s -> s.path("queue").path("duplicatesDropped").asInt() == 1);
        assertThat(status.path("queue").path("duplicatesDropped").asInt()).isEqualTo(1);
        await("the one event to be delivered", Duration.ofSeconds(30),
                () -> pipeline().receiver().orElseThrow().deliveryCount(), n -> n == 1);
    }

    @Test
    void sendUniqueMakesEveryPostANewEventThatIsDelivered() throws Exception {
        Path sample = Path.of(System.getProperty("alertrelay.root", "..")).resolve(Banner.SAMPLE);
        String url = pipeline().baseUri().toString();
        assertThat(run("send", sample.toString(), "--url", url)).isZero();

        assertThat(run("send", "--unique", sample.toString(), sample.toString(), "--url", url)).isZero();

        List<String> ids = acceptedIds();
        assertThat(ids).hasSize(3).doesNotHaveDuplicates();
        SamplePlatformReceiver receiver = pipeline().receiver().orElseThrow();
        await("three deliveries", Duration.ofSeconds(30), receiver::deliveryCount, n -> n == 3);
        assertThat(status().path("queue").path("duplicatesDropped").asInt()).isZero();
    }

    @Test
    void outageOnAndOffSwitchTheSampleReceiverFoundThroughTheRunningPipeline() {
        SamplePlatformReceiver receiver = pipeline().receiver().orElseThrow();
        String url = pipeline().baseUri().toString();

        assertThat(run("outage", "on", "--url", url)).isZero();
        assertThat(receiver.inOutage()).isTrue();
        assertThat(out()).startsWith("outage on: the sample receiver (" + receiver.eventsUri() + ") answers 503");

        assertThat(run("outage", "OFF", "--url", url)).isZero();
        assertThat(receiver.inOutage()).isFalse();
        assertThat(out()).contains("outage off: the sample receiver (" + receiver.eventsUri() + ") accepts deliveries again");
    }

    @Test
    void loadPrintsThroughputAndLatenciesOfThePipelineAndOfTheNoopBaseline() {
        int status = run("load", "--count", "60", "--concurrency", "4", "--warmup", "0", "--timeout", "60",
                "--url", pipeline().baseUri().toString());

        assertThat(status).as(out() + err()).isZero();
        assertThat(out()).contains("webhook   60 requests: 60 × 202")
                .contains("delivered 60 of 60 accepted")
                .contains("noop      60 requests: 60 × 202")
                .containsPattern("end-to-end latency p50 [0-9.]+ ms, p99 [0-9.]+ ms")
                .containsPattern("ratio +webhook accepted/s ÷ noop accepted/s = [0-9.]+; "
                        + "delivered/s ÷ noop accepted/s = [0-9.]+")
                .containsPattern("cpu +pipeline run: pipeline process [0-9.]+ s = [0-9.]+ ms per alert, load generator "
                        + "[0-9.]+ s; noop run: pipeline process [0-9.]+ s = [0-9.]+ ms per request, load generator "
                        + "[0-9.]+ s \\([0-9]+ processors\\)");
    }

    @Test
    void loadDeliversItsWarmUpBeforeTheMeasuredRunStarts() {
        int status = run("load", "--count", "20", "--concurrency", "4", "--warmup", "15", "--timeout", "60",
                "--url", pipeline().baseUri().toString());

        assertThat(status).as(out() + err()).isZero();
        assertThat(out()).containsSubsequence("warm-up   15 of 15 delivered before the measured run",
                "webhook   20 requests: 20 × 202");
    }

    @Test
    void loadNoisyPrintsBothTenantsLatencyFromThe202AndTheFloodsDrainTime() {
        int status = run("load", "--noisy", "80", "--concurrency", "4", "--warmup", "5", "--trickle-ms", "50",
                "--timeout", "60", "--url", pipeline().baseUri().toString());

        assertThat(status).as(out() + err()).isZero();
        assertThat(out()).contains("tenant load floods 80 at concurrency 4, tenant quiet posts one every 50 ms")
                .contains("flood     80 requests from tenant load: 80 × 202")
                .contains("delivered 80 of 80 accepted; drained in ")
                .containsPattern("quiet     [1-9][0-9]* requests from tenant quiet, one every 50 ms while the flood lasted")
                .containsPattern("delivered ([1-9][0-9]*) of \\1 accepted; 202 to platform p50 [0-9]+ ms, p99 [0-9]+ ms");
    }

    @Test
    void theBannerGivesTheWebhookACurlTheDataAndHowToStopAndNoSecretButTheDemoToken() {
        String banner = Banner.of(pipeline(), "demo", project);
        String token = new TenantTokens(List.of(new Secret(TOKEN_KEY))).tokenFor("demo");

        assertThat(banner).contains("(settings: local.settings.sample.json)")
                .contains(runtime.baseUri() + "/api/alerts/demo?token=" + token)
                .contains("curl -i -X POST '" + runtime.baseUri() + "/api/alerts/demo?token=" + token + "'")
                .contains("--data-binary @local/samples/demo-metric-alert.json")
                .contains("./alert-relay outage on")
                .contains(dir.resolve("data").toString())
                .contains("Ctrl-C")
                .doesNotContain(TOKEN_KEY)
                .doesNotContain("whsec_")
                .doesNotContain("SharedAccessKey");
        assertThat(Path.of(System.getProperty("alertrelay.root", "..")).resolve(Banner.SAMPLE)).isRegularFile();
    }

    @Test
    void theBannerNamesBothSettingsFilesWhenLocalSettingsOverridesTheSample() throws IOException {
        Files.writeString(project.resolve("local.settings.json"), "{\"Values\": {\"MAX_DELIVERY_COUNT\": \"3\"}}");

        String banner = Banner.of(pipeline(), "demo", project);

        assertThat(banner).contains("(settings: local.settings.json over local.settings.sample.json)");
        assertThat(runtime.settings().maxDeliveryCount()).isEqualTo(3);
        assertThat(runtime.settings().tenantTokenKeys()).containsExactly(new Secret(TOKEN_KEY));
    }

    @Test
    void aMisspeltSettingNameIsWarnedAboutWithTheNearestKnownName() throws IOException {
        Files.writeString(project.resolve("local.settings.json"), "{\"Values\": {\"MAX_DELIVRY_COUNT\": \"3\"}}");

        assertThat(run("token", "demo")).isZero();

        assertThat(firstErrLine()).isEqualTo("alert-relay: warning: local.settings.json sets MAX_DELIVRY_COUNT, which"
                + " neither Alert Relay nor the Functions host reads; did you mean MAX_DELIVERY_COUNT?");
    }

    // --- onboard: a customer's parameters file (infra/onboarding/customer-subscription.json) ---

    private static final String APP = "https://alertrelay-example.azurewebsites.net";
    private static final Path ONBOARDING = Path.of(System.getProperty("alertrelay.root", ".."))
            .resolve("infra/onboarding");

    @Test
    void onboardPrintsItsHelpNamingTheKeySourcesAndWhyNeverAHostKey() {
        assertThat(run("onboard", "--help")).isZero();

        assertThat(out()).startsWith("print a customer's onboarding parameters file")
                .contains("Usage: ./alert-relay onboard [-h]").contains("-h, --help").contains("Exit status:");
        assertThat(out().replaceAll("\\s+", " ")).contains("--url=URL").contains("--function-key=K")
                .contains("--key-from-vault=VAULT").contains("--key=-")
                .contains("Never a host key: a host key opens every function-level function of the app");
        assertThat(err()).isEmpty();
        out.reset();
        assertThat(run("--help")).isZero();
        assertThat(out()).containsPattern("(?m)^  onboard +\\S");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "onboard --url " + APP + "|Missing required parameter: 'TENANT'",
        "onboard contoso|Missing required option: '--url=URL'",
        "onboard Contoso --url " + APP + "|tenant must be lower-case letters, digits and dashes",
        "onboard alertrelay-probe --url " + APP + "|the tenant alertrelay-probe is reserved for the deployment probe",
        "onboard contoso --url http://alertrelay-example.azurewebsites.net|--url must use https",
        "onboard contoso --url " + APP + "?code=abc|--url must have no query or fragment",
        "onboard contoso --url " + APP + "#top|--url must have no query or fragment",
        "onboard contoso --url " + APP + "/api|--url is the function app's address without a path",
        "onboard contoso --url alertrelay-example.azurewebsites.net|--url must be the function app's address",
        "onboard contoso --url ftp://alertrelay-example.azurewebsites.net|--url must be the function app's address",
        "onboard contoso --url https://user:pw@alertrelay-example.azurewebsites.net|--url must have no user name",
        "onboard contoso --url https://bad^host|--url is not a valid URL",
        "onboard contoso --url " + APP + " --key-from-vault not/a/vault|--key-from-vault takes a vault name",
        "onboard contoso --url " + APP + " --key typed-secret-key|--key takes only '-'",
        "onboard contoso --url " + APP + " --key -|no key on standard input (--key -)",
        "onboard contoso --url " + APP + " --bogus|Unknown option: '--bogus'",
    })
    void onboardWithABadTenantUrlOrKeyIsAUsageErrorWithOneLineFirst(String commandLine, String message) {
        assertThat(run(commandLine.split(" "))).as(err()).isEqualTo(Commands.USAGE);

        assertThat(firstErrLine()).startsWith("alert-relay: ").contains(message);
        assertThat(err().lines().skip(1).findFirst().orElse("")).startsWith("Usage: ./alert-relay onboard");
        assertThat(out()).isEmpty();
        assertThat(out() + err()).doesNotContain("typed-secret-key");
    }

    @Test
    void onboardRefusesAFunctionKeyWithSpaces() {
        assertThat(run("onboard", "contoso", "--url", APP, "--function-key", "two words")).isEqualTo(Commands.USAGE);

        assertThat(firstErrLine()).startsWith("alert-relay: --function-key must be the key as Azure shows it");
    }

    @Test
    void onboardPrintsTheCommittedExampleForItsInputsWithTheTokenOfTheFirstKeyAndTheFunctionKeyEncoded()
            throws IOException {
        stdin = "example-key-not-a-secret,previous-key-not-a-secret\n".getBytes(StandardCharsets.UTF_8);

        assertThat(run("onboard", "contoso", "--url", APP, "--function-key", "EXAMPLE-FUNCTION-KEY==", "--key", "-"))
                .as(err()).isZero();

        String token = new TenantTokens(List.of(new Secret("example-key-not-a-secret"))).tokenFor("contoso");
        JsonNode file = JSON.readTree(out());
        assertThat(file.path("$schema").asText())
                .isEqualTo("https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#");
        assertThat(file.path("contentVersion").asText()).isEqualTo("1.0.0.0");
        assertThat(file.at("/parameters/tenant/value").asText()).isEqualTo("contoso");
        assertThat(file.at("/parameters/webhookUrl/value").asText())
                .isEqualTo(APP + "/api/alerts/contoso?token=" + token + "&code=EXAMPLE-FUNCTION-KEY%3D%3D");
        for (String group : List.of("includeDeployments", "includeAutoscale", "includeServiceHealth",
                "includeResourceHealth")) {
            assertThat(file.at("/parameters/" + group + "/value").asBoolean()).as(group).isTrue();
        }
        assertThat(err()).isEmpty();
        assertThat(out() + err()).doesNotContain("example-key-not-a-secret").doesNotContain("previous-key");
        // The example beside the template is this output, so the validator that checks it checks the command too.
        assertThat(out()).isEqualTo(Files.readString(ONBOARDING.resolve("customer-subscription.parameters.example.json")));
    }

    @Test
    void onboardGivesEveryParameterTheTemplateRequiresAndOnlyParametersItDeclares() throws IOException {
        stdin = "example-key-not-a-secret".getBytes(StandardCharsets.UTF_8);
        assertThat(run("onboard", "contoso", "--url", APP, "--function-key", "K", "--key", "-")).isZero();

        JsonNode declared = JSON.readTree(ONBOARDING.resolve("customer-subscription.json").toFile()).path("parameters");
        List<String> given = new ArrayList<>();
        JSON.readTree(out()).path("parameters").fieldNames().forEachRemaining(given::add);
        List<String> required = new ArrayList<>();
        declared.fields().forEachRemaining(p -> {
            if (!p.getValue().has("defaultValue")) {
                required.add(p.getKey());
            }
        });
        assertThat(given).allMatch(declared::has, "declared by the template").containsAll(required);
        assertThat(required).containsExactlyInAnyOrder("tenant", "webhookUrl");
        assertThat(declared.path("webhookUrl").path("type").asText()).isEqualToIgnoringCase("securestring");
    }

    @Test
    void onboardWithoutAnOptionUsesTheDevelopmentKeyAndSaysSoAndLoopbackNeedsNoFunctionKey() throws IOException {
        assertThat(run("onboard", "fabrikam", "--url", "http://127.0.0.1:7071")).isZero();

        String token = new TenantTokens(List.of(new Secret(TOKEN_KEY))).tokenFor("fabrikam");
        assertThat(JSON.readTree(out()).at("/parameters/webhookUrl/value").asText())
                .isEqualTo("http://127.0.0.1:7071/api/alerts/fabrikam?token=" + token);
        assertThat(err()).contains("development key").contains("--key-from-vault").doesNotContain("--function-key")
                .doesNotContain(TOKEN_KEY);
    }

    @Test
    void onboardWithoutAFunctionKeyForAzureWarnsThatAzureAnswers401() {
        stdin = "k".getBytes(StandardCharsets.UTF_8);

        assertThat(run("onboard", "contoso", "--url", APP + "/", "--key", "-")).isZero();

        assertThat(err()).startsWith("alert-relay: note: no --function-key").contains("401");
        assertThat(out()).contains("\"" + APP + "/api/alerts/contoso?token=");
    }

    @Test
    void theOnboardedUrlIsOneTheRunningWebhookAccepts() throws Exception {
        String base = pipeline().baseUri().toString();
        assertThat(run("onboard", "contoso", "--url", base, "--function-key", "ignored-locally")).isZero();
        URI webhook = URI.create(JSON.readTree(out()).at("/parameters/webhookUrl/value").asText());

        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(webhook)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.bytes("test-activitylog-administrative.json")))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    private static String headerOf(String command) {
        return switch (command) {
            case "run" -> "start the whole pipeline";
            case "send" -> "post Azure Monitor notifications";
            case "token" -> "print a tenant's webhook token";
            case "load" -> "measure a running pipeline";
            default -> "switch the sample platform receiver's outage";
        };
    }

    private List<String> acceptedIds() throws IOException {
        List<String> ids = new ArrayList<>();
        for (String line : out().lines().toList()) {
            int answer = line.indexOf(" → 202 ");
            if (answer >= 0) {
                ids.add(JSON.readTree(line.substring(answer + " → 202 ".length())).path("id").asText());
            }
        }
        return ids;
    }

    private JsonNode status() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(pipeline().baseUri() + "/status.json")).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private int run(String... args) {
        return Commands.run(List.of(args), CommandEnvironment.of(project,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin)));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String firstErrLine() {
        return err().lines().findFirst().orElse("");
    }
}
