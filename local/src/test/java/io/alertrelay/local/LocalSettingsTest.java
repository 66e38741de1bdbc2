package io.alertrelay.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alertrelay.settings.SettingsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings that forgive: local.settings.json over the sample, errors with line and column, typos named. */
class LocalSettingsTest {

    @TempDir
    Path dir;

    @Test
    void localSettingsHoldingOneSettingIsMergedOverTheSample() throws IOException {
        sample("{\"Values\": {\"TENANT_TOKEN_KEYS\": \"dev-key\", \"MAX_DELIVERY_COUNT\": \"10\"}}");
        local("{\"Values\": {\"MAX_DELIVERY_COUNT\": \"3\"}}");

        LocalSettings settings = LocalSettings.load(dir);

        assertThat(settings.values()).containsEntry("TENANT_TOKEN_KEYS", "dev-key").containsEntry("MAX_DELIVERY_COUNT", "3");
        assertThat(settings.sources()).containsExactly(dir.resolve("local.settings.sample.json"),
                dir.resolve("local.settings.json"));
        assertThat(settings.origin("MAX_DELIVERY_COUNT")).contains(dir.resolve("local.settings.json"));
        assertThat(settings.origin("TENANT_TOKEN_KEYS")).contains(dir.resolve("local.settings.sample.json"));
        assertThat(LocalSettings.describe(settings.sources(), dir))
                .isEqualTo("local.settings.json over local.settings.sample.json");
    }

    @Test
    void eitherFileAloneIsEnough() throws IOException {
        local("{\"Values\": {\"TENANT_TOKEN_KEYS\": \"k\"}}");
        assertThat(LocalSettings.load(dir).sources()).containsExactly(dir.resolve("local.settings.json"));

        Files.delete(dir.resolve("local.settings.json"));
        sample("{\"Values\": {\"TENANT_TOKEN_KEYS\": \"k\"}}");
        assertThat(LocalSettings.load(dir).sources()).containsExactly(dir.resolve("local.settings.sample.json"));
    }

    @Test
    void neitherFileIsASettingsErrorNamingBoth() {
        assertThatThrownBy(() -> LocalSettings.load(dir)).isInstanceOf(SettingsException.class)
                .hasMessageContaining("local.settings.json").hasMessageContaining("local.settings.sample.json");
    }

    @Test
    void aJsonErrorInEitherFileNamesTheFileTheLineAndTheColumn() throws IOException {
        sample("{\"Values\": {\"TENANT_TOKEN_KEYS\": \"k\"}}");
        local("{\n  \"Values\": {\n    \"MAX_DELIVERY_COUNT\": \"3\"\n    \"STORE_TTL_DAYS\": \"7\"\n  }\n}\n");

        assertThatThrownBy(() -> LocalSettings.load(dir)).isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("local.settings.json is not valid JSON at line 4, column 5: ")
                .hasMessageContaining("was expecting comma");

        Files.delete(dir.resolve("local.settings.json"));
        sample("{\"Values\": {\"TENANT_TOKEN_KEYS\": \"k\",}}");
        assertThatThrownBy(() -> LocalSettings.load(dir))
                .hasMessageStartingWith("local.settings.sample.json is not valid JSON at line 1, column ");
    }

    @Test
    void aValueWithAMissingQuoteIsNotRepeatedInTheError() throws IOException {
        sample("{\"Values\": {\"TENANT_TOKEN_KEYS\": secret-key-value}}");

        assertThatThrownBy(() -> LocalSettings.load(dir)).isInstanceOf(SettingsException.class)
                .hasMessageContaining("line 1").hasMessageNotContaining("secret-key-value");
    }

    @Test
    void settingsOutsideValuesOrNotStringsAreErrorsThatSaySo() throws IOException {
        sample("{\"TENANT_TOKEN_KEYS\": \"k\"}");
        assertThatThrownBy(() -> LocalSettings.load(dir)).hasMessageContaining("has no \"Values\" object");

        sample("{\"Values\": {\"TENANT_TOKEN_KEYS\": [\"a\", \"b\"]}}");
        assertThatThrownBy(() -> LocalSettings.load(dir))
                .hasMessage("local.settings.sample.json: setting TENANT_TOKEN_KEYS must be a string, not a JSON array");
    }

    @Test
    void anUnknownSettingNameIsKeptAndWarnedAboutWithTheNearestKnownName() throws IOException {
        sample("{\"Values\": {\"TENANT_TOKEN_KEYS\": \"k\", \"FUNCTIONS_WORKER_RUNTIME\": \"java\","
                + " \"AzureWebJobsStorage\": \"UseDevelopmentStorage=true\", \"AzureWebJobs.AlertDequeuer.Disabled\": \"false\"}}");
        local("{\"Values\": {\"MAX_DELIVRY_COUNT\": \"3\", \"COSMOS_ENDPIONT\": \"https://x\", \"MY_OWN_THING\": \"1\"}}");

        LocalSettings settings = LocalSettings.load(dir);

        assertThat(settings.warnings()).containsExactly(
                "local.settings.json sets MAX_DELIVRY_COUNT, which neither Alert Relay nor the Functions host reads;"
                        + " did you mean MAX_DELIVERY_COUNT?",
                "local.settings.json sets COSMOS_ENDPIONT, which neither Alert Relay nor the Functions host reads;"
                        + " did you mean COSMOS_ENDPOINT?",
                "local.settings.json sets MY_OWN_THING, which neither Alert Relay nor the Functions host reads");
        assertThat(settings.values()).containsKey("MAX_DELIVRY_COUNT");
    }

    @Test
    void theCommittedSampleHasNoUnknownSetting() throws IOException {
        Path root = Path.of(System.getProperty("alertrelay.root", ".."));
        Files.copy(root.resolve("local.settings.sample.json"), dir.resolve("local.settings.sample.json"));

        assertThat(LocalSettings.load(dir).warnings()).isEmpty();
    }

    private void sample(String json) throws IOException {
        Files.writeString(dir.resolve("local.settings.sample.json"), json);
    }

    private void local(String json) throws IOException {
        Files.writeString(dir.resolve("local.settings.json"), json);
    }
}
