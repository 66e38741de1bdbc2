package io.alertrelay.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alertrelay.settings.FunctionRequirements.Need;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionRequirementsTest {

    private static Map<String, String> azureSlot() {
        Map<String, String> m = new HashMap<>();
        m.put("ServiceBusConnection__fullyQualifiedNamespace", "bus.servicebus.windows.net");
        m.put("TENANT_TOKEN_KEYS", "k1");
        m.put("COSMOS_ENDPOINT", "https://db.documents.azure.com:443/");
        m.put("PLATFORM_ENDPOINT_URL", "https://platform.example.com/events");
        m.put("PLATFORM_SIGNING_SECRET", "whsec_MDEyMzQ1Njc4OWFiY2RlZg==");
        return m;
    }

    @Test
    void aCompleteSlotHasNoProblem() {
        assertThat(FunctionRequirements.problems(Settings.from(azureSlot()), FunctionRequirements.none())).isEmpty();
    }

    @Test
    void aSlotWithoutTheStoreNamesTheSettingAndEveryFunctionThatNeedsIt() {
        Map<String, String> m = azureSlot();
        m.remove("COSMOS_ENDPOINT");

        assertThat(FunctionRequirements.problems(Settings.from(m), FunctionRequirements.none()))
                .containsExactly("setting COSMOS_ENDPOINT is required by AlertDequeuer, AlertDequeuerBulk, EventStatus, Replay but not set");
    }

    @Test
    void aDisabledFunctionNeedsNothing() {
        Map<String, String> m = azureSlot();
        m.remove("PLATFORM_ENDPOINT_URL");
        m.put("AzureWebJobs.AlertDequeuer.Disabled", "true");
        m.put("AzureWebJobs.AlertDequeuerBulk.Disabled", "true"); // both lanes' dequeuers, as on the staging slot

        assertThat(FunctionRequirements.problems(Settings.from(m), FunctionRequirements.none())).isEmpty();
    }

    @Test
    void aNeedMetByAStandInIsNoProblem() {
        Map<String, String> m = azureSlot();
        m.remove("COSMOS_ENDPOINT");

        assertThat(FunctionRequirements.problems(Settings.from(m), EnumSet.of(Need.STORE))).isEmpty();
    }

    @Test
    void requireFailsNamingTheSettingAndTheFunction() {
        assertThatThrownBy(() -> FunctionRequirements.require(Settings.from(Map.of()), "AlertDequeuer", Need.STORE))
                .isInstanceOf(SettingsException.class)
                .hasMessage("setting COSMOS_ENDPOINT is required by AlertDequeuer but not set");
    }
}
