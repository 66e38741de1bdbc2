package io.alertrelay.local;

import io.alertrelay.adapter.logs.JsonLinesLogSink;
import io.alertrelay.adapter.logs.LogsIngestionLogSink;
import io.alertrelay.functions.AppCredential;
import io.alertrelay.functions.AppGraph;
import io.alertrelay.functions.AzureAdapters;
import io.alertrelay.functions.FunctionClasses;
import io.alertrelay.adapter.platform.OkHttpPlatformClient;
import io.alertrelay.adapter.servicebus.LaneFilters;
import io.alertrelay.adapter.servicebus.ServiceBusAlertPublisher;
import io.alertrelay.domain.Lane;
import io.alertrelay.intake.TenantTokens;
import io.alertrelay.local.host.FunctionApp;
import io.alertrelay.local.host.FunctionInstances;
import io.alertrelay.local.host.FunctionInvoker;
import io.alertrelay.local.host.LocalHttpHost;
import io.alertrelay.local.host.HttpRequestThrottle;
import io.alertrelay.local.host.NoopWebhook;
import io.alertrelay.local.platform.SamplePlatformReceiver;
import io.alertrelay.local.servicebus.ServiceBusEmulator;
import io.alertrelay.local.status.ActivityLogSink;
import io.alertrelay.local.status.PipelineActivity;
import io.alertrelay.local.status.StatusRoutes;
import io.alertrelay.local.status.StatusSources;
import io.alertrelay.local.store.H2Store;
import io.alertrelay.local.store.StoreStatistics;
import io.alertrelay.local.trigger.ServiceBusTriggerDriver;
import io.alertrelay.port.Store;
import io.alertrelay.port.LogSink;
import io.alertrelay.settings.FunctionRequirements;
import io.alertrelay.settings.FunctionRequirements.Need;
import io.alertrelay.settings.Settings;
import io.alertrelay.settings.SettingsException;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The whole pipeline on one machine (DESIGN §10): the function classes behind {@link LocalHttpHost}, the Service
 * Bus trigger driven by {@link ServiceBusTriggerDriver}, and a stand-in for each Azure service the settings leave
 * out — the Service Bus emulator (its messages kept across restarts by a snapshot and a journal), {@link H2Store},
 * JSON-lines logs, and {@link SamplePlatformReceiver}. A service the settings name (ServiceBusConnection,
 * COSMOS_ENDPOINT, PLATFORM_ENDPOINT_URL, LOGS_INGESTION_ENDPOINT + LOGS_DCR_IMMUTABLE_ID) is used instead of its
 * stand-in, through the same adapters as in Azure.
 *
 * <p>{@link #close()} stops in the order that loses nothing: the HTTP host answers new requests 503 (Azure Monitor
 * retries those) and finishes the ones under way; the trigger takes no new message and lets deliveries under way
 * finish and settle; the emulator writes its remaining messages to the data directory; then the receiver, the store
 * and the log sink (flushed) close. Each runtime has its own object graph ({@link AppGraph}): several can run side by
 * side in one JVM, on their own ports and data directories.
 */
public final class LocalRuntime implements AutoCloseable {

    /**
     * Request threads of the local HTTP host: more than a load test's concurrency, so a request waits for a slot of
     * host.json's {@code maxConcurrentRequests} as in the Functions host, not for a thread.
     */
    static final int HTTP_THREADS = 64;
    /** Documents read back into the status page's latest events at start. */
    private static final int RESTORED_EVENTS = 25;

    private final Closer closer;
    private final RuntimeOptions options;
    private final List<Path> settingsFiles;
    private final Settings settings;
    private final TenantTokens tokens;
    private final Store store;
    private final Optional<ServiceBusEmulator> bus;
    private final Optional<SamplePlatformReceiver> receiver;
    private final LocalHttpHost http;
    private final List<String> services;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalRuntime(Closer closer, RuntimeOptions options, List<Path> settingsFiles, Settings settings, Store store,
                         Optional<ServiceBusEmulator> bus, Optional<SamplePlatformReceiver> receiver,
                         LocalHttpHost http, List<String> services) {
        this.closer = closer;
        this.options = options;
        this.settingsFiles = List.copyOf(settingsFiles);
        this.settings = settings;
        this.tokens = new TenantTokens(settings.tenantTokenKeys());
        this.store = store;
        this.bus = bus;
        this.receiver = receiver;
        this.http = http;
        this.services = List.copyOf(services);
    }

    /**
     * Starts everything, or nothing: what was started before a failure is stopped again.
     *
     * @throws SettingsException a missing or malformed setting, named
     * @throws IllegalStateException the data directory or the port is taken, or a runtime already runs in this JVM
     */
    public static LocalRuntime start(RuntimeOptions o) {
        Closer closer = new Closer();
        try {
            return start(o, closer);
        } catch (RuntimeException | Error e) {
            closer.close();
            throw e;
        }
    }

    private static LocalRuntime start(RuntimeOptions o, Closer closer) {
        LocalSettings file = LocalSettings.load(o.projectDir);
        Map<String, String> values = file.values();
        values.putAll(o.settingsOverrides);
        Settings declared = Settings.from(values); // fails fast, naming a malformed setting
        FunctionRequirements.require(declared, "AlertWebhook", Need.TENANT_TOKEN_KEYS);
        HostJson host = Files.isRegularFile(o.projectDir.resolve("host.json"))
                ? HostJson.read(o.projectDir.resolve("host.json")) : HostJson.defaults();
        List<String> services = new ArrayList<>();

        DataDirectory data = closer.add("data directory lock", DataDirectory.lock(o.dataDir));
        PipelineActivity activity = new PipelineActivity(500);
        LogSink sink = closer.add("log sink", new ActivityLogSink(logSink(declared, data, services), activity));
        Store store = store(declared, data, host, closer, services);
        if (store instanceof StoreStatistics recent) {
            activity.restore(recent.recentlyUpdated(RESTORED_EVENTS)); // "latest events" survives a restart
        }
        Optional<SamplePlatformReceiver> receiver = platform(o, declared, data, closer, services);
        receiver.ifPresent(r -> values.put(Settings.PLATFORM_ENDPOINT_URL, r.eventsUri().toString()));
        Optional<ServiceBusEmulator> bus = serviceBus(o, declared, data, closer, services);
        bus.ifPresent(b -> values.put(Settings.SERVICE_BUS_CONNECTION, b.connectionString()));

        Settings settings = Settings.from(values); // now with the stand-ins' addresses
        AppGraph graph = graph(o, values, settings, store, sink, closer, activity);
        // The functions as Azure loads them: from the function.json files that mvn package wrote, their instances
        // made with this runtime's graph as the worker makes them with the app's (AlertRelayInjector).
        FunctionApp app = FunctionApp.load(o.functionAppDir(), values, new FunctionInstances() {
            @Override
            public <T> T instance(Class<T> functionClass) {
                return FunctionClasses.create(functionClass, graph);
            }
        });
        for (FunctionInvoker function : app.triggeredBy("serviceBusTrigger")) {
            closer.add(function.name() + " trigger", new ServiceBusTriggerDriver(
                    ServiceBusTriggerDriver.clientFor(function.definition().trigger(), values)
                            .retryOptions(host.retryOptions()),
                    function, host.maxConcurrentCalls(), host.maxAutoLockRenewalDuration(), o.drainTimeout,
                    settings.maxDeliveryCount())).start();
        }

        HttpRequestThrottle throttle = HttpRequestThrottle.of(host.http());
        StatusSources status = new StatusSources(activity, bus, settings.alertsTopic(), lanes(settings),
                store instanceof StoreStatistics s ? Optional.of(s) : Optional.empty(), receiver, throttle);
        Map<String, HttpHandler> routes = new LinkedHashMap<>(new StatusRoutes(status).routes());
        routes.put(NoopWebhook.PATH, new NoopWebhook(throttle));
        LocalHttpHost http = closer.add("HTTP host", startHttp(o.httpPort, app, routes, throttle));
        return new LocalRuntime(closer, o, file.sources(), settings, store, bus, receiver, http, services);
    }

    /** Lane → its subscription, standard first (issue 14). */
    private static Map<String, String> lanes(Settings settings) {
        Map<String, String> lanes = new LinkedHashMap<>();
        lanes.put(Lane.STANDARD.value(), settings.alertsSubscription());
        lanes.put(Lane.BULK.value(), settings.alertsBulkSubscription());
        return lanes;
    }

    /** This runtime's object graph, with the adapters chosen here; the publisher is ours to close. */
    private static AppGraph graph(RuntimeOptions o, Map<String, String> values, Settings settings, Store store,
                                  LogSink sink, Closer closer, PipelineActivity activity) {
        ServiceBusAlertPublisher publisher = closer.add("Service Bus publisher",
                AzureAdapters.publisher(settings, AppCredential.get()));
        return closer.add("object graph", AppGraph.builder(values)
                .publisher(activity.recordingAcceptance(publisher)) // the status page's latency starts before the send
                .store(store)
                .platform(o.platformClient.apply(OkHttpPlatformClient.builder()
                        .endpoint(settings.platformEndpoint().orElseThrow())
                        .secrets(settings.platformSigningSecrets())).build())
                .logSink(sink)
                .build());
    }

    /** The sample receiver unless PLATFORM_ENDPOINT_URL names the platform. */
    private static Optional<SamplePlatformReceiver> platform(RuntimeOptions o, Settings declared, DataDirectory data,
                                                             Closer closer, List<String> services) {
        if (declared.platformEndpoint().isPresent()) {
            URI endpoint = declared.platformEndpoint().get();
            services.add("Platform     " + endpoint.getScheme() + "://" + endpoint.getHost()
                    + (endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort()) + endpoint.getPath()
                    + " (PLATFORM_ENDPOINT_URL)"); // not the query: it may hold a key
            return Optional.empty();
        }
        FunctionRequirements.require(declared, "AlertDequeuer", Need.PLATFORM_SIGNING_SECRET);
        SamplePlatformReceiver receiver = closer.add("sample platform receiver", startReceiver(o, declared, data));
        services.add("Platform     sample receiver " + receiver.eventsUri()
                + " (verifies signatures; records in " + data.deliveries() + ")");
        return Optional.of(receiver);
    }

    /** The emulator unless ServiceBusConnection (or its namespace) names a real Service Bus. */
    private static Optional<ServiceBusEmulator> serviceBus(RuntimeOptions o, Settings declared, DataDirectory data,
                                                           Closer closer, List<String> services) {
        if (declared.hasServiceBus()) {
            services.add("Service Bus  " + declared.serviceBus().orElseThrow().describe() + " (" + Settings.SERVICE_BUS_CONNECTION + ")");
            return Optional.empty();
        }
        ServiceBusEmulator bus = closer.add("Service Bus emulator", startBus(o, declared, data));
        services.add("Service Bus  emulator on 127.0.0.1:" + bus.port() + ", topic " + declared.alertsTopic()
                + " → subscriptions " + declared.alertsSubscription() + " (standard lane), "
                + declared.alertsBulkSubscription() + " (bulk lane: a tenant over " + declared.fairShareAlerts()
                + " alerts per " + declared.fairShareWindow().toSeconds() + " s, and replays) (max "
                + declared.maxDeliveryCount()
                + " deliveries; full at " + bus.maxTopicBytes() / (1024 * 1024) + " MB, then the webhook answers 503"
                + "; queued messages kept in " + data.busSnapshot().getParent()
                + " across restarts, a killed process's too"
                + (bus.restoredMessageCount() > 0 ? "; " + bus.restoredMessageCount() + " restored now" : "") + ")");
        return Optional.of(bus);
    }

    private static LogSink logSink(Settings settings, DataDirectory data, List<String> services) {
        Optional<LogsIngestionLogSink> ingestion = AzureAdapters.logs(settings, AppCredential.get());
        if (ingestion.isPresent()) {
            services.add("Logs         Logs Ingestion API " + settings.logsIngestionEndpoint().orElseThrow().getHost()
                    + ", stream " + settings.logsStreamName() + " (" + Settings.LOGS_INGESTION_ENDPOINT + ")");
            return ingestion.get();
        }
        try {
            JsonLinesLogSink sink = JsonLinesLogSink.toFile(data.logFile());
            services.add("Logs         JSON lines in the AlertRelay_CL schema, " + data.logFile());
            return sink;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the log file " + data.logFile(), e);
        }
    }

    private static Store store(Settings settings, DataDirectory data, HostJson host, Closer closer,
                                    List<String> services) {
        if (settings.cosmosEndpoint().isPresent()) {
            services.add("Store        Cosmos DB " + settings.cosmosEndpoint().get().getHost() + ", "
                    + settings.cosmosDatabase() + "/" + settings.cosmosContainer() + " (" + Settings.COSMOS_ENDPOINT + ")");
            return closer.add("Cosmos DB store", AzureAdapters.store(settings, AppCredential.get()).orElseThrow());
        }
        services.add("Store        H2 database in " + data.store() + " (survives restarts, and a kill: its journal)");
        // a connection for each invocation of each lane's dequeuer, each request thread, and a few more
        return closer.add("H2 store", H2Store.open(data.store(),
                host.maxConcurrentCalls() * Lane.values().length + HTTP_THREADS + 8));
    }

    private static SamplePlatformReceiver startReceiver(RuntimeOptions o, Settings settings, DataDirectory data) {
        try {
            return SamplePlatformReceiver.start(o.platformPort, settings.platformSigningSecrets(), data.deliveries());
        } catch (BindException e) {
            throw new IllegalStateException("port " + o.platformPort + " for the sample platform receiver is in use");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the sample platform receiver", e);
        }
    }

    /** The topic with a subscription per lane, each with its lane's SQL filter as the template declares it. */
    private static ServiceBusEmulator startBus(RuntimeOptions o, Settings settings, DataDirectory data) {
        return ServiceBusEmulator.builder()
                .topic(settings.alertsTopic(), settings.alertsSubscription(), settings.alertsBulkSubscription())
                .filter(settings.alertsTopic(), settings.alertsSubscription(), LaneFilters.of(Lane.STANDARD))
                .filter(settings.alertsTopic(), settings.alertsBulkSubscription(), LaneFilters.of(Lane.BULK))
                .maxDeliveryCount(settings.maxDeliveryCount())
                .lockDuration(o.busLockDuration)
                .maxTopicBytes(o.busMaxTopicBytes)
                .port(o.busPort)
                .persistTo(data.busSnapshot())
                .build().start();
    }

    private static LocalHttpHost startHttp(int port, FunctionApp app, Map<String, HttpHandler> routes,
                                           HttpRequestThrottle throttle) {
        try {
            return LocalHttpHost.start(port, HTTP_THREADS, app, routes, throttle);
        } catch (BindException e) {
            throw new IllegalStateException("port " + port + " is in use (another alert-relay run?); "
                    + "stop it, or start with --port <another port>");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the HTTP host on port " + port, e);
        }
    }

    public URI baseUri() {
        return http.baseUri();
    }

    /** The webhook URL Azure Monitor would call for {@code tenant}, token included. */
    public URI webhookUri(String tenant) {
        return baseUri().resolve("/api/alerts/" + tenant + "?token="
                + URLEncoder.encode(tokens.tokenFor(tenant), StandardCharsets.UTF_8));
    }

    public String tokenFor(String tenant) {
        return tokens.tokenFor(tenant);
    }

    public Settings settings() {
        return settings;
    }

    /** The settings files read, in merge order (local.settings.sample.json, then local.settings.json over it). */
    public List<Path> settingsFiles() {
        return settingsFiles;
    }

    public Path dataDir() {
        return options.dataDir;
    }

    public Path projectDir() {
        return options.projectDir;
    }

    public Store store() {
        return store;
    }

    public Optional<ServiceBusEmulator> bus() {
        return bus;
    }

    public Optional<SamplePlatformReceiver> receiver() {
        return receiver;
    }

    /** One line per Azure service: the stand-in that runs for it, or the real service the settings name. */
    public List<String> services() {
        return services;
    }

    /** Stops gracefully (see the class comment); safe to call more than once and from a shutdown hook. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closer.close();
        }
    }
}
