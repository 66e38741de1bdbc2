package io.alertrelay.functions;

import io.alertrelay.port.AlertStore;
import io.alertrelay.port.PlatformClient;
import io.alertrelay.settings.Settings;
import io.alertrelay.settings.SettingsException;

/** Builds the Azure adapters from settings; each is built once by {@link Wiring}. */
final class AdapterFactory {

    private AdapterFactory() {
    }

    /** The Cosmos DB store, or null when COSMOS_ENDPOINT is not set. */
    static AlertStore store(Settings settings) {
        if (settings.cosmosEndpoint().isEmpty()) {
            return null;
        }
        throw new SettingsException("the Cosmos DB store is not wired yet");
    }

    static PlatformClient platform(Settings settings) {
        throw new SettingsException("setting " + Settings.PLATFORM_ENDPOINT_URL + " is not wired yet");
    }
}
