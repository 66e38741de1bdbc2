package io.alertrelay.adapter.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.domain.schema.AlertNormaliser;
import io.alertrelay.domain.PlatformEvent;
import io.alertrelay.intake.AlertIntake;
import io.alertrelay.intake.IntakeRequest;
import io.alertrelay.intake.TenantTokens;
import io.alertrelay.logging.InvocationLog;
import io.alertrelay.logging.entry.LogProperty;
import io.alertrelay.logging.PipelineLog;
import io.alertrelay.logging.Redaction;
import io.alertrelay.logging.entry.Stage;
import io.alertrelay.port.PublishFailedException;
import io.alertrelay.settings.Settings;
import io.alertrelay.testing.Fixtures;
import io.alertrelay.testing.RecordingPublisher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/**
 * No row contains a token, a tenant token key, a signing secret or a connection string: the test plants them in the
 * settings, logs them the way a careless caller would (in messages, exception texts, properties), and scans every row
 * the receiver got and every line the function logger got.
 */
class LogSecretScanTest {

    private static final String SAS_KEY = "pLaNtEdSaSkEy0123456789abcdefghijklmnopqrs=";
    private static final String CONNECTION = "Endpoint=sb://alertrelay-test.servicebus.windows.net/;"
            + "SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=" + SAS_KEY;
    private static final String SIGNING_BASE64 = Base64.getEncoder().encodeToString("planted-signing-secret-32-bytes!".getBytes());
    private static final String SIGNING = "whsec_" + SIGNING_BASE64;
    private static final String TENANT_KEY = "planted-tenant-token-key-7f3a9c";
    private static final String OLD_TENANT_KEY = "planted-old-tenant-key-11b2";
    private static final String COSMOS_KEY = "PlantedCosmosKey0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWX==";
    private static final String FUNCTION_KEY = "plantedFunctionKey0123456789==";
    private static final String JWT = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwczovL21vbml0b3IifQ.c2lnbmF0dXJlLXBsYW50ZWQ";

    @Test
    void noRowNorFunctionLogLineContainsAPlantedSecret() throws Exception {
        Settings settings = Settings.from(Map.of(
                Settings.SERVICE_BUS_CONNECTION, CONNECTION,
                Settings.PLATFORM_SIGNING_SECRET, SIGNING,
                Settings.TENANT_TOKEN_KEYS, TENANT_KEY + "," + OLD_TENANT_KEY,
                Settings.COSMOS_ENDPOINT, "https://alertrelay-test.documents.azure.com:443/",
                Settings.COSMOS_KEY, COSMOS_KEY,
                Settings.PLATFORM_ENDPOINT_URL, "https://platform.example.net/hooks/alerts"));
        TenantTokens tokens = new TenantTokens(settings.tenantTokenKeys());
        String tenantToken = tokens.tokenFor("contoso");
        String webhookUrl = "https://alertrelay-test.azurewebsites.net/api/alerts/contoso?token=" + tenantToken
                + "&code=" + FUNCTION_KEY;
        List<String> planted = List.of(CONNECTION, SAS_KEY, SIGNING, SIGNING_BASE64, TENANT_KEY, OLD_TENANT_KEY,
                COSMOS_KEY, FUNCTION_KEY, tenantToken, JWT, SinkTesting.BEARER);

        SinkTesting.Captured functionLogger = SinkTesting.captureWarnings();
        try (HttpsReceiver receiver = HttpsReceiver.start();
             LogsIngestionLogSink sink = SinkTesting.sinkTo(receiver.endpoint(), SinkTesting.captureWarnings().logger).build()) {
            PipelineLog pipelineLog = PipelineLog.of(sink, Redaction.forSettings(settings));
            PlatformEvent event = new AlertNormaliser().normalise("contoso", Fixtures.bytes("test-metric-static.json"));
            InvocationLog log = pipelineLog.forInvocation("AlertWebhook", "inv-secrets", functionLogger.logger)
                    .tenant("contoso");

            // a careless caller: settings, URLs and secrets in messages, exceptions and properties
            log.log(Stage.RECEIVED, "received on " + webhookUrl);
            log.log(Stage.RECEIVED, "settings: " + settings + " bus=" + CONNECTION);
            log.at(Stage.RETRIED).error(new PublishFailedException("send failed using " + CONNECTION,
                    new IllegalStateException("auth header was Authorization: Bearer " + JWT)))
                    .log("bus unreachable, key " + TENANT_KEY);
            log.event(event).at(Stage.DELIVERED)
                    .property(LogProperty.REASON, "signed with " + SIGNING + " / " + SIGNING_BASE64)
                    .property(LogProperty.CONTENT_TYPE, "application/json; key=" + OLD_TENANT_KEY)
                    .property(LogProperty.ERROR_MESSAGE, "cosmos: AccountEndpoint=https://x.documents.azure.com/;AccountKey="
                            + COSMOS_KEY)
                    .log("delivered to " + settings.platformEndpoint().orElseThrow() + " with token " + tenantToken);
            log.at(Stage.REJECTED).error(new RuntimeException("token " + JWT + " and credential " + SinkTesting.BEARER))
                    .log("tenant key " + TENANT_KEY + " rotated from " + OLD_TENANT_KEY);
            // and the webhook function body through the real intake, with the token in the request
            AlertIntake intake = AlertIntake.builder().tokens(tokens).publisher(new RecordingPublisher()).build();
            FunctionBodies.webhook(intake, pipelineLog, new IntakeRequest("contoso", tenantToken, "application/json",
                    Fixtures.bytes("test-metric-static.json")), "inv-2", functionLogger.logger);
            FunctionBodies.webhook(intake, pipelineLog, new IntakeRequest("contoso", "x" + tenantToken, "application/json",
                    Fixtures.bytes("test-metric-static.json")), "inv-3", functionLogger.logger);

            assertThat(sink.flush(Duration.ofSeconds(10))).isTrue();
            List<JsonNode> rows = receiver.rows();
            assertThat(rows).hasSize(9);

            List<String> texts = new ArrayList<>();
            rows.forEach(r -> texts.add(r.toString()));
            functionLogger.records.stream().map(LogRecord::getMessage).forEach(texts::add);
            for (String text : texts) {
                for (String secret : planted) {
                    assertThat(text).as("a logged line").doesNotContain(secret);
                }
            }
            // the entries are still there, with the masks where the secrets were (secrets known by value go whole)
            String all = String.join("\n", texts);
            assertThat(all).contains("bus=***", "token=***", "code=***", "signed with *** / ***", "Bearer ***",
                    "AccountKey=***", "with token ***", "tenant key *** rotated from ***");
        }
    }
}
