package io.alertrelay.functions;

import io.alertrelay.adapter.cosmos.CosmosAlertStore;
import io.alertrelay.adapter.platform.OkHttpPlatformClient;
import io.alertrelay.port.AlertStore;
import io.alertrelay.port.PlatformClient;
import io.alertrelay.settings.Settings;
import io.alertrelay.settings.FunctionRequirements;
import io.alertrelay.settings.FunctionRequirements.Need;

/** Builds the Azure adapters from settings; {@link Wiring} builds each once, on first use. */
final class AdapterFactory {

    private AdapterFactory() {
    }

    /** The Cosmos DB store, or null when COSMOS_ENDPOINT is not set. */
    static AlertStore store(Settings settings) {
        if (settings.cosmosEndpoint().isEmpty()) {
            return null;
        }
        return CosmosAlertStore.fromSettings(settings);
    }

    /** Every delivery is signed (DESIGN §3): no endpoint or no secret is a configuration error. */
    static PlatformClient platform(Settings settings) {
        FunctionRequirements.require(settings, "AlertDequeuer", Need.PLATFORM_ENDPOINT);
        FunctionRequirements.require(settings, "AlertDequeuer", Need.PLATFORM_SIGNING_SECRET);
        return OkHttpPlatformClient.builder()
                .endpoint(settings.platformEndpoint().orElseThrow())
                .secrets(settings.platformSigningSecrets())
                .build();
    }
}
