package io.alertrelay.functions;

import com.azure.core.credential.TokenCredential;
import io.alertrelay.adapter.cosmos.CosmosStore;
import io.alertrelay.adapter.logs.LogsIngestionLogSink;
import io.alertrelay.adapter.platform.OkHttpPlatformClient;
import io.alertrelay.adapter.servicebus.ServiceBusAlertPublisher;
import io.alertrelay.adapter.servicebus.ServiceBusDeadLetters;
import io.alertrelay.port.PlatformClient;
import io.alertrelay.port.Store;
import io.alertrelay.settings.FunctionRequirements;
import io.alertrelay.settings.FunctionRequirements.Need;
import io.alertrelay.settings.Settings;
import java.util.Optional;

/**
 * The one place that builds the Azure adapters from the app settings (DESIGN §9), with the app's credential. The
 * object graph uses it in Azure; the local runtime uses it for each Azure service that its settings name instead of
 * a stand-in.
 */
public final class AzureAdapters {

    private AzureAdapters() {
    }

    /** The Service Bus sender of the alerts topic. */
    public static ServiceBusAlertPublisher publisher(Settings settings, TokenCredential credential) {
        FunctionRequirements.require(settings, "AlertWebhook", Need.SERVICE_BUS);
        return ServiceBusAlertPublisher.builder()
                .target(settings.serviceBus().orElseThrow())
                .credential(credential)
                .topic(settings.alertsTopic())
                .build();
    }

    /** The dead-letter queues of both lanes' subscriptions (replay drains them, health counts them). */
    public static ServiceBusDeadLetters deadLetters(Settings settings, TokenCredential credential) {
        FunctionRequirements.require(settings, "Replay", Need.SERVICE_BUS);
        return ServiceBusDeadLetters.builder()
                .target(settings.serviceBus().orElseThrow(), credential)
                .topic(settings.alertsTopic())
                .subscriptions(settings.alertsSubscriptions())
                .build();
    }

    /** The Cosmos DB store, or empty when COSMOS_ENDPOINT is not set. */
    public static Optional<Store> store(Settings settings, TokenCredential credential) {
        if (settings.cosmosEndpoint().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(CosmosStore.builder()
                .endpoint(settings.cosmosEndpoint().get())
                .key(settings.cosmosKey().orElse(null))
                .credential(credential)
                .database(settings.cosmosDatabase())
                .container(settings.cosmosContainer())
                .directMode(settings.cosmosDirectMode())
                .ttlDays(settings.storeTtlDays().orElse(null))
                .build());
    }

    /** Every delivery is signed (DESIGN §3): no endpoint or no secret is a configuration error. */
    public static PlatformClient platform(Settings settings) {
        FunctionRequirements.require(settings, "AlertDequeuer", Need.PLATFORM_ENDPOINT);
        FunctionRequirements.require(settings, "AlertDequeuer", Need.PLATFORM_SIGNING_SECRET);
        return OkHttpPlatformClient.builder()
                .endpoint(settings.platformEndpoint().orElseThrow())
                .secrets(settings.platformSigningSecrets())
                .build();
    }

    /** The Logs Ingestion sink, or empty when LOGS_INGESTION_ENDPOINT (with LOGS_DCR_IMMUTABLE_ID) is not set. */
    public static Optional<LogsIngestionLogSink> logs(Settings settings, TokenCredential credential) {
        if (settings.logsIngestionEndpoint().isEmpty() || settings.logsDcrImmutableId().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(LogsIngestionLogSink.builder()
                .endpoint(settings.logsIngestionEndpoint().get().toString())
                .ruleId(settings.logsDcrImmutableId().get())
                .streamName(settings.logsStreamName())
                .credential(credential)
                .build());
    }
}
