package io.alertrelay.functions;

import io.alertrelay.adapter.servicebus.ServiceBusAlertPublisher;
import io.alertrelay.delivery.AlertDelivery;
import io.alertrelay.adapter.logs.LogsIngestionLogSink;
import io.alertrelay.health.HealthReport;
import io.alertrelay.logging.InvocationLog;
import io.alertrelay.logging.PipelineLog;
import io.alertrelay.logging.Redaction;
import io.alertrelay.port.LogSink;
import io.alertrelay.intake.AlertIntake;
import io.alertrelay.intake.TenantTokens;
import io.alertrelay.port.AlertPublisher;
import io.alertrelay.port.AlertStore;
import io.alertrelay.port.PlatformClient;
import java.time.Clock;
import io.alertrelay.settings.Settings;
import io.alertrelay.settings.FunctionRequirements;
import io.alertrelay.settings.FunctionRequirements.Need;
import io.alertrelay.status.EventStatusLookup;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The function app's object graph, built lazily and once per JVM: Azure keeps a worker alive across invocations, so
 * clients are built on first use and reused. In Azure it is made from the process environment; the local runtime and
 * tests install their own with {@link #install(Wiring)} (stand-ins for the Azure services).
 */
public final class Wiring {

    private static final Lazy<Wiring> FROM_ENVIRONMENT = new Lazy<>(() -> builder(Settings.fromEnvironment()).build());
    private static volatile Wiring installed;

    private final Settings settings;
    private final Lazy<AlertPublisher> publisher;
    private final Lazy<Optional<AlertStore>> store;
    private final Lazy<AlertIntake> intake;
    private final Lazy<PlatformClient> platform;
    private final Lazy<AlertDelivery> delivery;
    private final Lazy<LogSink> logSink;
    private final Lazy<PipelineLog> log;
    private final Lazy<EventStatusLookup> eventStatus;
    private final Set<Need> metElsewhere;

    private Wiring(Builder b) {
        settings = b.settings;
        publisher = new Lazy<>(b.publisher != null ? () -> b.publisher : () -> ServiceBusAlertPublisher.builder()
                .target(settings.serviceBus()).topic(settings.alertsTopic()).build());
        logSink = new Lazy<>(() -> b.logSink != null ? b.logSink
                : LogsIngestionLogSink.fromSettings(settings).<LogSink>map(s -> s).orElse(LogSink.none()));
        log = new Lazy<>(() -> PipelineLog.of(logSink.get(), Redaction.forSettings(settings)));
        store = new Lazy<>(() -> Optional.ofNullable(b.store != null ? b.store : AdapterFactory.store(settings)));
        platform = new Lazy<>(() -> b.platform != null ? b.platform : AdapterFactory.platform(settings));
        intake = new Lazy<>(() -> AlertIntake.builder()
                .tokens(new TenantTokens(settings.tenantTokenKeys()))
                .publisher(publisher.get())
                .claimCheckStore(store.get().orElse(null))
                .maxBodyBytes(settings.maxBodyBytes())
                .maxMessageBytes(settings.maxMessageBytes())
                .build());
        delivery = new Lazy<>(() -> new AlertDelivery(requiredStore("AlertDequeuer"), platform.get(),
                settings.maxDeliveryCount(), Clock.systemUTC()));
        eventStatus = new Lazy<>(() -> new EventStatusLookup(requiredStore("EventStatus")));
        metElsewhere = FunctionRequirements.none();
        if (b.publisher != null) {
            metElsewhere.add(Need.SERVICE_BUS);
        }
        if (b.store != null) {
            metElsewhere.add(Need.STORE);
        }
        if (b.platform != null) {
            metElsewhere.addAll(List.of(Need.PLATFORM_ENDPOINT, Need.PLATFORM_SIGNING_SECRET));
        }
    }

    private AlertStore requiredStore(String function) {
        return store.get().orElseThrow(() -> {
            FunctionRequirements.require(settings, function, Need.STORE);
            return new IllegalStateException("no store although " + Settings.COSMOS_ENDPOINT + " is set");
        });
    }

    /** The wiring the functions use: the installed one, else one built from the environment. */
    public static Wiring current() {
        Wiring w = installed;
        return w != null ? w : FROM_ENVIRONMENT.get();
    }

    /** Installs the wiring of the local runtime or a test; null goes back to the environment. */
    public static void install(Wiring wiring) {
        installed = wiring;
    }

    public static Builder builder(Settings settings) {
        return new Builder(settings);
    }

    public Settings settings() {
        return settings;
    }

    public AlertIntake intake() {
        return intake.get();
    }

    /** The pipeline log of one invocation: rows for Log Analytics and lines for the function's own logger. */
    public InvocationLog log(String operation, String invocationId, java.util.logging.Logger functionLogger) {
        return log.get().forInvocation(operation, invocationId, functionLogger);
    }

    public AlertDelivery delivery() {
        return delivery.get();
    }

    public EventStatusLookup eventStatus() {
        return eventStatus.get();
    }

    /** "misconfigured" naming every setting a function lacks; else the state of each dependency. */
    public HealthReport health() {
        List<String> problems = FunctionRequirements.problems(settings, metElsewhere);
        if (!problems.isEmpty()) {
            return HealthReport.misconfigured(String.join("; ", problems));
        }
        Map<String, String> deps = new LinkedHashMap<>();
        deps.put("serviceBus", settings.hasServiceBus() || publisher.isBuilt() ? publisher.get().health() : "unconfigured");
        deps.put("store", store.get().map(AlertStore::health).orElse("unconfigured"));
        deps.put("platform", settings.platformEndpoint().isPresent() ? "configured" : "unconfigured");
        deps.put("logs", settings.logsIngestionEndpoint().isPresent() ? "configured" : "unconfigured");
        if (logSink.isBuilt() && logSink.get().dropped() > 0) {
            deps.put("logsDropped", String.valueOf(logSink.get().dropped()));
        }
        return HealthReport.of(HealthReport.currentVersion(), deps);
    }

    /** Settings plus optional replacements for the Azure adapters. */
    public static final class Builder {
        private final Settings settings;
        private AlertPublisher publisher;
        private AlertStore store;
        private PlatformClient platform;
        private LogSink logSink;

        private Builder(Settings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        public Builder publisher(AlertPublisher publisher) {
            this.publisher = publisher;
            return this;
        }

        public Builder store(AlertStore store) {
            this.store = store;
            return this;
        }

        public Builder platform(PlatformClient platform) {
            this.platform = platform;
            return this;
        }

        public Builder logSink(LogSink logSink) {
            this.logSink = logSink;
            return this;
        }

        public Wiring build() {
            return new Wiring(this);
        }
    }
}
