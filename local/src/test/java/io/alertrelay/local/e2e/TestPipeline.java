package io.alertrelay.local.e2e;

import com.azure.core.amqp.AmqpRetryMode;
import com.azure.core.amqp.AmqpRetryOptions;
import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import io.alertrelay.adapter.cosmos.CosmosStore;
import io.alertrelay.adapter.cosmos.CosmosEmulator;
import io.alertrelay.adapter.platform.OkHttpPlatformClient;
import io.alertrelay.functions.AppGraph;
import io.alertrelay.intake.TenantTokens;
import io.alertrelay.local.host.FunctionApp;
import io.alertrelay.local.host.LocalHttpHost;
import io.alertrelay.local.host.PackagedFunctions;
import io.alertrelay.local.servicebus.ServiceBusEmulator;
import io.alertrelay.local.trigger.ServiceBusTriggerDriver;
import io.alertrelay.domain.StoredAlert;
import io.alertrelay.settings.Secret;
import io.alertrelay.settings.Settings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The whole pipeline in one JVM, as in Azure but on loopback: the function classes behind the local HTTP host, the
 * real Service Bus SDK (publisher and processor) against the emulator, the Cosmos adapter against
 * {@code @vercel/cosmosdb-server}, the OkHttp platform client against a MockWebServer platform.
 */
final class TestPipeline implements AutoCloseable {

    static final String TENANT = "contoso";
    static final String TOPIC = "alerts";
    static final String SUBSCRIPTION = "platform-delivery";

    final ServiceBusEmulator bus;
    final CosmosStore store;
    final AppGraph graph;
    final RecordingPlatform platform;
    final LocalHttpHost http;
    final ServiceBusTriggerDriver driver;
    final TenantTokens tokens;
    private final HttpClient client = HttpClient.newHttpClient();

    private TestPipeline(UnaryOperator<ServiceBusEmulator.Builder> busOptions, int maxDeliveryCount) throws Exception {
        String signingSecret = "whsec_" + Base64.getEncoder().encodeToString(randomBytes(32));
        String tokenKey = Base64.getEncoder().encodeToString(randomBytes(24));
        bus = busOptions.apply(ServiceBusEmulator.builder().topic(TOPIC, SUBSCRIPTION)
                .maxDeliveryCount(maxDeliveryCount)).build().start();
        CosmosEmulator cosmos = CosmosEmulator.get();
        String container = "alerts-" + UUID.randomUUID();
        cosmos.createContainer("alertrelay", container);
        store = CosmosStore.builder().client(cosmos.client()).database("alertrelay").container(container).build();
        platform = new RecordingPlatform(signingSecret);
        Map<String, String> values = Map.of(
                Settings.SERVICE_BUS_CONNECTION, bus.connectionString(),
                Settings.TENANT_TOKEN_KEYS, tokenKey,
                Settings.PLATFORM_SIGNING_SECRET, signingSecret,
                Settings.PLATFORM_ENDPOINT_URL, platform.url().toString(),
                Settings.MAX_DELIVERY_COUNT, String.valueOf(maxDeliveryCount),
                "ALERTS_TOPIC", TOPIC, "ALERTS_SUBSCRIPTION", SUBSCRIPTION);
        Settings settings = Settings.from(values);
        tokens = new TenantTokens(List.of(new Secret(tokenKey)));
        graph = AppGraph.builder(values)
                .store(store)
                .platform(OkHttpPlatformClient.builder()
                        .endpoint(platform.url())
                        .secrets(settings.platformSigningSecrets())
                        .maxAttempts(2)
                        .backoff(Duration.ofMillis(20), Duration.ofMillis(100))
                        .callTimeout(Duration.ofSeconds(2))
                        .timeBudget(Duration.ofSeconds(5))
                        .build())
                .build();
        FunctionApp app = PackagedFunctions.load(values, graph);
        http = LocalHttpHost.start(0, 8, app);
        driver = new ServiceBusTriggerDriver(new ServiceBusClientBuilder().connectionString(bus.connectionString())
                .retryOptions(new AmqpRetryOptions().setMode(AmqpRetryMode.FIXED).setMaxRetries(2)
                        .setDelay(Duration.ofMillis(200)).setTryTimeout(Duration.ofSeconds(5))),
                app.function("AlertDequeuer").orElseThrow(), 4, Duration.ofMinutes(1));
        driver.start();
    }

    static TestPipeline start(int maxDeliveryCount) throws Exception {
        return new TestPipeline(UnaryOperator.identity(), maxDeliveryCount);
    }

    static TestPipeline start(int maxDeliveryCount, UnaryOperator<ServiceBusEmulator.Builder> busOptions)
            throws Exception {
        return new TestPipeline(busOptions, maxDeliveryCount);
    }

    HttpResponse<String> post(byte[] body) {
        return post(TENANT, tokens.tokenFor(TENANT), body);
    }

    HttpResponse<String> post(String tenant, String token, byte[] body) {
        URI uri = http.baseUri().resolve("/api/alerts/" + tenant + (token == null ? "" : "?token=" + token));
        try {
            return client.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Optional<StoredAlert> document(String id) {
        return store.documents().find(TENANT, id);
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    @Override
    public void close() throws IOException {
        driver.close();
        http.close();
        graph.close();
        bus.close();
        platform.close();
        store.close();
    }
}
