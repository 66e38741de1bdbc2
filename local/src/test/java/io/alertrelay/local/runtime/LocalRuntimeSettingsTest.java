package io.alertrelay.local.runtime;

import static io.alertrelay.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import io.alertrelay.local.LocalRuntime;
import io.alertrelay.local.cli.Commands;
import io.alertrelay.local.servicebus.ServiceBusEmulator;
import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.domain.StoredAlert;
import io.alertrelay.settings.Settings;
import io.alertrelay.settings.SettingsException;
import io.alertrelay.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings choose between a stand-in and the real service; a malformed one stops the start, named. */
class LocalRuntimeSettingsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aServiceBusConnectionAndAPlatformEndpointInTheSettingsReplaceTheirStandIns() throws Exception {
        String secret = JSON.readTree(Files.readAllBytes(RuntimeHarness.root().resolve("local.settings.sample.json")))
                .path("Values").path(Settings.PLATFORM_SIGNING_SECRET).asText();
        try (ServiceBusEmulator otherBus = ServiceBusEmulator.builder().topic("alerts", "platform-delivery").build()
                .start();
             MockWebServer platform = new MockWebServer()) {
            platform.enqueue(new MockResponse().setResponseCode(204));
            platform.start();
            try (LocalRuntime runtime = LocalRuntime.start(RuntimeHarness.options(RuntimeHarness.project(dir),
                    dir.resolve("data"))
                    .setting(Settings.SERVICE_BUS_CONNECTION, otherBus.connectionString())
                    .setting(Settings.PLATFORM_ENDPOINT_URL, platform.url("/hooks/alerts").toString()).build())) {
                assertThat(runtime.bus()).as("no emulator of its own").isEmpty();
                assertThat(runtime.receiver()).as("no sample receiver").isEmpty();
                assertThat(runtime.services()).anyMatch(s -> s.startsWith("Service Bus") && s.contains("127.0.0.1:"
                        + otherBus.port()) && !s.contains("SharedAccessKey"));

                String body = RuntimeHarness.post(runtime, "contoso", Fixtures.bytes("test-metric-static.json")).body();
                String id = JSON.readTree(body).path("id").asText();

                RecordedRequest delivered = platform.takeRequest(30, TimeUnit.SECONDS);
                assertThat(delivered).isNotNull();
                assertThat(delivered.getPath()).isEqualTo("/hooks/alerts");
                new Webhook(secret).verify(delivered.getBody().readUtf8(), Map.of(
                        "webhook-id", List.of(delivered.getHeader("webhook-id")),
                        "webhook-timestamp", List.of(delivered.getHeader("webhook-timestamp")),
                        "webhook-signature", List.of(delivered.getHeader("webhook-signature"))));
                await("the document to be delivered", Duration.ofSeconds(30),
                        () -> runtime.store().documents().find("contoso", id).map(StoredAlert::status).orElse(null),
                        s -> s == DeliveryStatus.DELIVERED);
                await("the message to be completed on the other bus", Duration.ofSeconds(30),
                        () -> otherBus.activeMessageCount("alerts", "platform-delivery"), n -> n == 0);
            }
        }
    }

    @Test
    void aMalformedSettingStopsTheStartWithAnExceptionNamingIt() {
        assertThatThrownBy(() -> LocalRuntime.start(RuntimeHarness.options(RuntimeHarness.project(dir),
                dir.resolve("data")).setting(Settings.MAX_DELIVERY_COUNT, "ten").build()))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining(Settings.MAX_DELIVERY_COUNT);
        // nothing was left running: a correct start works at once
        LocalRuntime.start(RuntimeHarness.options(RuntimeHarness.project(dir.resolve("again")),
                dir.resolve("data")).build()).close();
    }

    @Test
    void runWithAMalformedSettingPrintsOneLineNamingItAndExitsNonZero() throws Exception {
        Path project = RuntimeHarness.project(dir);
        Files.writeString(project.resolve("local.settings.json"), "{\"Values\": {"
                + "\"TENANT_TOKEN_KEYS\": \"k\", \"PLATFORM_SIGNING_SECRET\": \"not-a-whsec-secret\"}}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = Commands.run(List.of("run", "--port", "0", "--data-dir", dir.resolve("data").toString()), project,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(2);
        String message = err.toString(StandardCharsets.UTF_8);
        assertThat(message).startsWith("alert-relay: setting " + Settings.PLATFORM_SIGNING_SECRET)
                .doesNotContain("not-a-whsec-secret").doesNotContain("\tat ");
        assertThat(message.strip().lines()).hasSize(1);
    }

    @Test
    void aDataDirectoryInUseIsRefusedNamingIt() {
        Path data = dir.resolve("data");
        try (io.alertrelay.local.DataDirectory held = io.alertrelay.local.DataDirectory.lock(data)) {
            assertThatThrownBy(() -> LocalRuntime.start(RuntimeHarness.options(RuntimeHarness.project(dir), data)
                    .build()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(data.toString()).hasMessageContaining("in use");
        }
    }
}
