package io.alertrelay.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.settings.Settings;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LogRedactionTest {

    private final Redaction patterns = Redaction.patternsOnly();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Endpoint=sb://bus.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=AbC+dEf/123=|Endpoint=sb://bus.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=***",
        "AccountEndpoint=https://db.documents.azure.com:443/;AccountKey=C2y6yDjf5/R+ob0N8A7Cgv==;|AccountEndpoint=https://db.documents.azure.com:443/;AccountKey=***;",
        "POST https://relay.example.net/api/alerts/contoso?token=q1w2e3r4&code=fnKey99 failed|POST https://relay.example.net/api/alerts/contoso?token=***&code=*** failed",
        "signing with whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw now|signing with whsec_*** now",
        "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl|Authorization: Bearer ***",
        "token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl leaked|token *** leaked",
        "SharedAccessSignature sr=https%3A%2F%2Fbus&sig=abcDEF%3D&se=1700000000&skn=Root|SharedAccessSignature ***&sig=***&se=1700000000&skn=Root",
        "{\"client_secret\": \"hunter2-very-secret\"}|{\"client_secret\": \"***\"}",
        "amqps://user:p4ssw0rd@bus.example.net|amqps://user:***@bus.example.net",
        "password=pa55;user=me|password=***;user=me",
        "delivered with token MnZfcqZbv8P5V9g15TCkfI6YvJ6wY81sLcX0NwJQ-qc today|delivered with token *** today",
        "credential test-bearer-token-16f321d44c8 refused|credential *** refused"
    })
    void secretLookingTextIsMaskedAndItsNameKept(String in, String out) {
        assertThat(patterns.scrub(in)).isEqualTo(out);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "platform answered status code: 503 after 3 attempts",
        "alert published as contoso.6f1c2a9d0b8e4f7a",
        "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1",
        "partition key /tenant, document contoso.abc",
        "https://relay.example.net:443/api/health",
        "monkey=banana; turnkey=solution",
        "token rotation is due; key vault kv-prod answered",
        "idempotency key contoso.57da26f8a1c2a395d35907c0f9c5867f6d73482266b2ac6ac7e360a610c1708f"
    })
    void ordinaryTextIsLeftAlone(String text) {
        assertThat(patterns.scrub(text)).isEqualTo(text);
    }

    @Test
    void theQuickScanNeverSkipsTextThePatternsWouldMask() {
        String[] fragments = {"token", "Token", "tokens", "key", "KEY", "keys", "code", "sig", "secret", "password",
            "Bearer", "SharedAccessSignature", "SharedAccessKey", "AccountKey", "client_secret", "x-functions-key",
            "api-key", "credential", "signature", "=", "=", ":", ":", " ", " ", "  ", "\t", "\n", "\"", "'", ";", "&",
            "?", "-", "_", "1", "x", "abcDEF0123456789abcdEF", "eyJhbGciOi.eyJzdWIiOi.c2ln", "EYJabcdef.ghijkl.mn",
            "whsec_", "WHSEC_", "://", "user", "@", "/", "host", "published", "contoso.57da26f8a1c2", "monkey",
            "turnkey", "passwordless", "pwd"};
        java.util.Random random = new java.util.Random(20260301);
        int masked = 0;
        for (int i = 0; i < 50_000; i++) {
            StringBuilder b = new StringBuilder();
            int parts = 1 + random.nextInt(8);
            for (int p = 0; p < parts; p++) {
                b.append(fragments[random.nextInt(fragments.length)]);
            }
            String text = b.toString();
            String expected = Redaction.maskPatterns(text);
            assertThat(patterns.scrub(text)).as(text).isEqualTo(expected);
            if (!expected.equals(text)) {
                masked++;
            }
        }
        assertThat(masked).as("the corpus exercises the masks").isGreaterThan(5_000);
    }

    @Test
    void nullAndEmptyStayAsTheyAre() {
        assertThat(patterns.scrub(null)).isNull();
        assertThat(patterns.scrub("")).isEmpty();
    }

    @Test
    void everySecretSettingIsMaskedByValueWhereverItAppears() {
        String sasKey = "Zm9vYmFyYmF6cXV4cXV1eA1234567890abcdef=";
        String connection = "Endpoint=sb://bus.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=" + sasKey;
        String signing = "whsec_" + Base64.getEncoder().encodeToString("0123456789abcdef0123".getBytes());
        String tenantKey = "tenant-key-Planted-42";
        String cosmosKey = "C2y6yDjf5R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";
        Settings settings = Settings.from(Map.of(
                Settings.SERVICE_BUS_CONNECTION, connection,
                Settings.PLATFORM_SIGNING_SECRET, signing,
                Settings.TENANT_TOKEN_KEYS, "old-key-ignored-not," + tenantKey,
                Settings.COSMOS_ENDPOINT, "https://db.documents.azure.com:443/",
                Settings.COSMOS_KEY, cosmosKey));
        Redaction r = Redaction.forSettings(settings);

        String careless = "key " + tenantKey + " / " + sasKey + " / " + signing.substring(6) + " / " + cosmosKey
                + " / " + connection;
        String scrubbed = r.scrub(careless);

        assertThat(scrubbed).doesNotContain(tenantKey, sasKey, signing.substring(6), cosmosKey, connection,
                "old-key-ignored-not");
        assertThat(r.knownSecretCount()).isGreaterThanOrEqualTo(6);
        assertThat(r.toString()).doesNotContain(tenantKey);
    }

    @Test
    void veryShortKnownValuesAreNotMaskedByValueSoOrdinaryWordsSurvive() {
        Redaction r = Redaction.of(List.of("ab", "the"));
        assertThat(r.scrub("the cat sat at the mat")).isEqualTo("the cat sat at the mat");
        assertThat(r.knownSecretCount()).isZero();
    }
}
