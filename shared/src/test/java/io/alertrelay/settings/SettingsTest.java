package io.alertrelay.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private static final String CONNECTION =
            "Endpoint=sb://bus.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=TOPSECRETKEY";

    @Test
    void defaultsFollowTheDesign() {
        Settings s = Settings.from(Map.of());
        assertThat(s.alertsTopic()).isEqualTo("alerts");
        assertThat(s.alertsSubscription()).isEqualTo("platform-delivery");
        assertThat(s.cosmosDatabase()).isEqualTo("alertrelay");
        assertThat(s.cosmosContainer()).isEqualTo("alerts");
        assertThat(s.logsStreamName()).isEqualTo("Custom-AlertRelay_CL");
        assertThat(s.maxBodyBytes()).isEqualTo(1024 * 1024);
        assertThat(s.maxMessageBytes()).isEqualTo(240 * 1024);
        assertThat(s.maxDeliveryCount()).isEqualTo(10);
        assertThat(s.storeTtlDays()).isEmpty();
        assertThat(s.alertsBulkSubscription()).isEqualTo("platform-delivery-bulk");
        assertThat(s.alertsSubscriptions()).containsExactly("platform-delivery", "platform-delivery-bulk");
        assertThat(s.fairShareWindow()).isEqualTo(java.time.Duration.ofSeconds(10));
        assertThat(s.fairShareAlerts()).isEqualTo(100);
    }

    @Test
    void theFairShareSettingsAreValidatedNamingTheSettingAndTheRange() {
        assertThatThrownBy(() -> Settings.from(Map.of("FAIR_SHARE_WINDOW_SECONDS", "0")))
                .isInstanceOf(SettingsException.class)
                .hasMessage("setting FAIR_SHARE_WINDOW_SECONDS must be a whole number from 1 to 3600");
        assertThatThrownBy(() -> Settings.from(Map.of("FAIR_SHARE_WINDOW_SECONDS", "10s")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("FAIR_SHARE_WINDOW_SECONDS");
        assertThatThrownBy(() -> Settings.from(Map.of("FAIR_SHARE_ALERTS", "0")))
                .isInstanceOf(SettingsException.class)
                .hasMessage("setting FAIR_SHARE_ALERTS must be a whole number from 1 to 1000000");
        Settings s = Settings.from(Map.of("FAIR_SHARE_WINDOW_SECONDS", "60", "FAIR_SHARE_ALERTS", "500",
                "ALERTS_BULK_SUBSCRIPTION", "bulk"));
        assertThat(s.fairShareWindow()).isEqualTo(java.time.Duration.ofMinutes(1));
        assertThat(s.fairShareAlerts()).isEqualTo(500);
        assertThat(s.alertsSubscriptions()).containsExactly("platform-delivery", "bulk");
    }

    @Test
    void eachLaneNeedsASubscriptionOfItsOwn() {
        assertThatThrownBy(() -> Settings.from(Map.of("ALERTS_BULK_SUBSCRIPTION", "Platform-Delivery")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("ALERTS_SUBSCRIPTION")
                .hasMessageContaining("ALERTS_BULK_SUBSCRIPTION");
    }

    @Test
    void malformedNumberFailsNamingTheSetting() {
        assertThatThrownBy(() -> Settings.from(Map.of("MAX_BODY_BYTES", "lots")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("MAX_BODY_BYTES");
        assertThatThrownBy(() -> Settings.from(Map.of("MAX_DELIVERY_COUNT", "0")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("MAX_DELIVERY_COUNT");
    }

    @Test
    void numbersOutOfRangeAreSettingsErrorsNamingTheRange() {
        // 30000 days overflowed Cosmos DB's int ttl in seconds: an ArithmeticException at first use.
        assertThatThrownBy(() -> Settings.from(Map.of("STORE_TTL_DAYS", "30000")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("STORE_TTL_DAYS").hasMessageContaining("24855");
        assertThatThrownBy(() -> Settings.from(Map.of("MAX_DELIVERY_COUNT", "2001")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("MAX_DELIVERY_COUNT");
        assertThatThrownBy(() -> Settings.from(Map.of("MAX_BODY_BYTES", "104857601")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("MAX_BODY_BYTES");
        assertThatThrownBy(() -> Settings.from(Map.of("MAX_MESSAGE_BYTES", "99999999999999999999")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("MAX_MESSAGE_BYTES");
        assertThat(Settings.from(Map.of("STORE_TTL_DAYS", "24855")).storeTtlDays()).contains(24855);
    }

    @Test
    void anUnresolvedKeyVaultReferenceIsNamedAsSuchAndNeverUsedAsASecret() {
        String reference = "@Microsoft.KeyVault(SecretUri=https://vault.vault.azure.net/secrets/tenant-token-keys/)";
        assertThatThrownBy(() -> Settings.from(Map.of("TENANT_TOKEN_KEYS", reference)))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("TENANT_TOKEN_KEYS")
                .hasMessageContaining("unresolved Key Vault reference");
    }

    @Test
    void logsIngestionEndpointAndRuleGoTogether() {
        assertThatThrownBy(() -> Settings.from(Map.of("LOGS_INGESTION_ENDPOINT", "https://dce.ingest.monitor.azure.com")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("LOGS_DCR_IMMUTABLE_ID");
        assertThatThrownBy(() -> Settings.from(Map.of("LOGS_DCR_IMMUTABLE_ID", "dcr-1")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("LOGS_INGESTION_ENDPOINT");
    }

    @Test
    void aFunctionIsDisabledByItsAzureWebJobsSetting() {
        Settings s = Settings.from(Map.of("AzureWebJobs.AlertDequeuer.Disabled", "true",
                "AzureWebJobs.Health.Disabled", "false"));
        assertThat(s.isDisabled("AlertDequeuer")).isTrue();
        assertThat(s.isDisabled("Health")).isFalse();
        assertThat(s.isDisabled("AlertWebhook")).isFalse();
    }

    @Test
    void malformedUrlFailsNamingTheSetting() {
        assertThatThrownBy(() -> Settings.from(Map.of("PLATFORM_ENDPOINT_URL", "not a url")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("PLATFORM_ENDPOINT_URL");
        assertThatThrownBy(() -> Settings.from(Map.of("COSMOS_ENDPOINT", "ftp://x")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("COSMOS_ENDPOINT");
    }

    @Test
    void malformedSigningSecretFailsWithoutEchoingIt() {
        assertThatThrownBy(() -> Settings.from(Map.of("PLATFORM_SIGNING_SECRET", "hunter2")))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("PLATFORM_SIGNING_SECRET")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void twoSigningSecretsAreAcceptedDuringRotation() {
        String a = "whsec_" + java.util.Base64.getEncoder().encodeToString("0123456789abcdef0123".getBytes());
        String b = "whsec_" + java.util.Base64.getEncoder().encodeToString("fedcba98765432100123".getBytes());
        assertThat(Settings.from(Map.of("PLATFORM_SIGNING_SECRET", a + " " + b)).platformSigningSecrets()).hasSize(2);
    }

    @Test
    void missingServiceBusAndTokenKeysAreNamedWhenTheWebhookNeedsThem() {
        assertThat(FunctionRequirements.problems(Settings.from(Map.of()), FunctionRequirements.none()))
                .anySatisfy(p -> assertThat(p).contains("ServiceBusConnection", "AlertWebhook"))
                .anySatisfy(p -> assertThat(p).contains("TENANT_TOKEN_KEYS", "AlertWebhook"));
    }

    @Test
    void connectionStringThatIsNotOneFailsWithoutEchoingIt() {
        assertThatThrownBy(() -> Settings.from(Map.of("ServiceBusConnection", "SharedAccessKey=abc")))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("ServiceBusConnection")
                .hasMessageNotContaining("abc");
    }

    @Test
    void managedIdentityNamespaceIsAnAlternativeToTheConnectionString() {
        Settings s = Settings.from(Map.of("ServiceBusConnection__fullyQualifiedNamespace", "bus.servicebus.windows.net"));
        assertThat(s.serviceBus().orElseThrow().connectionString()).isEmpty();
        assertThat(s.serviceBus().orElseThrow().fullyQualifiedNamespace()).contains("bus.servicebus.windows.net");
    }

    @Test
    void noSecretReachesToString() {
        Map<String, String> values = new HashMap<>();
        values.put("ServiceBusConnection", CONNECTION);
        values.put("TENANT_TOKEN_KEYS", "tenant-key-1,tenant-key-2");
        values.put("COSMOS_KEY", "COSMOSKEY==");
        values.put("COSMOS_ENDPOINT", "https://db.documents.azure.com:443/");
        Settings s = Settings.from(values);
        assertThat(s.toString()).contains("sb://bus.servicebus.windows.net/")
                .doesNotContain("TOPSECRETKEY", "tenant-key-1", "COSMOSKEY");
        assertThat(s.tenantTokenKeys().toString()).doesNotContain("tenant-key");
        assertThat(s.tenantTokenKeys()).extracting(Secret::reveal).containsExactly("tenant-key-1", "tenant-key-2");
    }
}
