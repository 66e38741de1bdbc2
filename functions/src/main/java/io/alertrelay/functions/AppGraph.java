package io.alertrelay.functions;

import com.azure.core.credential.TokenCredential;
import io.alertrelay.delivery.AlertDelivery;
import io.alertrelay.health.HealthReport;
import io.alertrelay.intake.AlertIntake;
import io.alertrelay.intake.FairShare;
import io.alertrelay.intake.TenantTokens;
import io.alertrelay.logging.PipelineLog;
import io.alertrelay.logging.Redaction;
import io.alertrelay.port.AlertPublisher;
import io.alertrelay.port.DeadLetters;
import io.alertrelay.port.LogSink;
import io.alertrelay.port.PlatformClient;
import io.alertrelay.port.Store;
import io.alertrelay.replay.ReplayEndpoint;
import io.alertrelay.settings.FunctionRequirements;
import io.alertrelay.settings.FunctionRequirements.Need;
import io.alertrelay.settings.Settings;
import io.alertrelay.status.EventStatusLookup;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The function app's object graph: settings, adapters and use cases, each built on first use and then shared.
 * Immutable once built; nothing connects when it is made, and a settings problem surfaces where a part is asked for
 * (as a {@link io.alertrelay.settings.SettingsException} naming the setting), so the webhook can still answer 503.
 *
 * <p>In Azure the Java worker asks {@link AlertRelayInjector} for function instances, and it hands them their parts
 * from one graph built from the process environment. The local runtime and the tests build their own graphs, with
 * stand-ins for the Azure services ({@link Builder}); several can live side by side in one JVM.
 */
public final class AppGraph implements AutoCloseable {

    /** Health counts dead-lettered messages up to this many (each costs a peek, in batches of 100). */
    static final int DEAD_LETTER_COUNT_CAP = 1000;
    static final Duration DEAD_LETTER_COUNT_TTL = Duration.ofSeconds(5);

    private final Lazy<Settings> settings;
    private final Lazy<TokenCredential> credential;
    private final Lazy<AlertPublisher> publisher;
    private final Lazy<Optional<Store>> store;
    private final Lazy<PlatformClient> platform;
    private final Lazy<LogSink> logSink;
    private final Lazy<PipelineLog> log;
    private final Lazy<AlertIntake> intake;
    private final Lazy<AlertDelivery> delivery;
    private final Lazy<EventStatusLookup> eventStatus;
    private final Lazy<DeadLetters> deadLetters;
    private final Lazy<ReplayEndpoint> replay;
    private final AtomicReference<Counted> deadLetterCount =
            new AtomicReference<>();
    private final Set<Need> metElsewhere;
    /** What this graph built and must close; parts handed in belong to the caller. */
    private final Deque<AutoCloseable> owned = new ArrayDeque<>();

    private AppGraph(Builder b) {
        settings = new Lazy<>(() -> Settings.from(b.appSettings));
        credential = new Lazy<>(AppCredential::get);
        publisher = new Lazy<>(() -> b.publisher != null ? b.publisher
                : own(AzureAdapters.publisher(settings.get(), credential.get())));
        store = new Lazy<>(() -> b.store != null ? Optional.of(b.store)
                : AzureAdapters.store(settings.get(), credential.get()).map(this::own));
        platform = new Lazy<>(() -> b.platform != null ? b.platform : AzureAdapters.platform(settings.get()));
        logSink = new Lazy<>(() -> b.logSink != null ? b.logSink
                : AzureAdapters.logs(settings.get(), credential.get()).<LogSink>map(this::own).orElse(LogSink.none()));
        log = new Lazy<>(() -> PipelineLog.of(logSink.get(), Redaction.forSettings(settings.get()), b.clock));
        intake = new Lazy<>(() -> AlertIntake.builder()
                .tokens(new TenantTokens(required(Need.TENANT_TOKEN_KEYS).tenantTokenKeys()))
                .publisher(publisher.get())
                .claimCheckStore(store.get().map(Store::payloads).orElse(null))
                .fairShare(new FairShare(settings.get().fairShareWindow(), settings.get().fairShareAlerts()))
                .maxBodyBytes(settings.get().maxBodyBytes())
                .maxMessageBytes(settings.get().maxMessageBytes())
                .build());
        delivery = new Lazy<>(() -> {
            Store s = requiredStore("AlertDequeuer");
            AlertDelivery.Builder d = AlertDelivery.builder()
                    .store(s.documents(), s.instances(), s.payloads(), s.registry())
                    .platform(platform.get())
                    .maxDeliveryCount(settings.get().maxDeliveryCount())
                    .clock(b.clock);
            b.deliveryTuning.accept(d);
            return d.build();
        });
        eventStatus = new Lazy<>(() -> new EventStatusLookup(requiredStore("EventStatus").documents()));
        deadLetters = new Lazy<>(() -> b.deadLetters != null ? b.deadLetters
                : own(AzureAdapters.deadLetters(settings.get(), credential.get())));
        replay = new Lazy<>(() -> {
            Store s = requiredStore("Replay");
            return new ReplayEndpoint(new io.alertrelay.replay.Replay(s.documents(), s.search(), s.registry(),
                    s.payloads(), publisher.get(), deadLetters.get(), settings.get().maxMessageBytes()));
        });
        metElsewhere = EnumSet.noneOf(Need.class);
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

    /** The graph of a function app in Azure: settings from the process environment, Azure adapters throughout. */
    public static AppGraph fromEnvironment() {
        return builder(System.getenv()).build();
    }

    /** A graph over these app settings; the builder can replace the Azure adapters with stand-ins. */
    public static Builder builder(Map<String, String> appSettings) {
        return new Builder(appSettings);
    }

    /** @throws io.alertrelay.settings.SettingsException when a setting is malformed */
    public Settings settings() {
        return settings.get();
    }

    public AlertIntake intake() {
        return intake.get();
    }

    public AlertDelivery delivery() {
        return delivery.get();
    }

    public EventStatusLookup eventStatus() {
        return eventStatus.get();
    }

    public ReplayEndpoint replay() {
        return replay.get();
    }

    /** The pipeline log: rows for Log Analytics and lines for each function's own logger. */
    public PipelineLog log() {
        return log.get();
    }

    /**
     * Moves work off the first request and the first message (issue 16, point 4): builds what they would build — the
     * settings, the pipeline log, the webhook's intake with its Service Bus sender, the dequeuer's use case with the
     * store and the platform client — opens the sender's AMQP connection and link, and runs the alert codecs once on
     * a bundled sample. Never throws: a part that cannot be built now (a setting missing) is left unbuilt, and fails
     * where a function asks for it, as without warming (the webhook's 503, health naming the setting).
     *
     * @return the steps that failed, by name (empty when everything is warm)
     */
    public List<String> warm() {
        List<String> failed = new java.util.ArrayList<>();
        attempt("log", () -> log(), failed);
        attempt("intake", () -> intake(), failed);
        attempt("serviceBus", () -> publisher.get().health(), failed);
        attempt("delivery", () -> delivery(), failed);
        attempt("codecs", CodecWarmUp::exercise, failed);
        return failed;
    }

    private static void attempt(String step, java.util.function.Supplier<?> part, List<String> failed) {
        try {
            part.get();
        } catch (RuntimeException | LinkageError e) {
            failed.add(step);
        }
    }

    /** "misconfigured" naming every setting a function lacks; else the state of each dependency. */
    public HealthReport health() {
        List<String> problems = FunctionRequirements.problems(settings(), metElsewhere);
        if (!problems.isEmpty()) {
            return HealthReport.misconfigured(String.join("; ", problems));
        }
        Map<String, String> deps = new LinkedHashMap<>();
        boolean bus = metElsewhere.contains(Need.SERVICE_BUS) || settings().hasServiceBus();
        deps.put("serviceBus", bus ? publisher.get().health() : "unconfigured");
        deps.put("store", store.get().map(Store::health).orElse("unconfigured"));
        boolean platformSet = metElsewhere.contains(Need.PLATFORM_ENDPOINT) || settings().platformEndpoint().isPresent();
        deps.put("platform", platformSet ? "configured" : "unconfigured");
        deps.put("deadLetterQueue", bus ? deadLetterCount() : "unconfigured");
        deps.put("logs", logSink.get().health());
        if (logSink.isBuilt() && logSink.get().dropped() > 0) {
            deps.put("logsDropped", String.valueOf(logSink.get().dropped()));
        }
        return HealthReport.of(HealthReport.currentVersion(), deps);
    }

    /**
     * How many messages wait in the dead-letter queues of both lanes' subscriptions: replay drains them (DESIGN §13).
     * Counted at most every {@link #DEAD_LETTER_COUNT_TTL}: a count opens a receiver, and health is polled.
     */
    private String deadLetterCount() {
        Counted last = deadLetterCount.get();
        long now = System.nanoTime();
        if (last != null && now - last.atNanos() < DEAD_LETTER_COUNT_TTL.toNanos()) {
            return last.state();
        }
        String state;
        try {
            int n = deadLetters.get().count(DEAD_LETTER_COUNT_CAP);
            state = "ok (" + (n >= DEAD_LETTER_COUNT_CAP ? "at least " + n : n) + " messages)";
        } catch (RuntimeException e) {
            state = "unreachable: " + e.getClass().getSimpleName();
        }
        deadLetterCount.set(new Counted(state, now));
        return state;
    }

    private record Counted(String state, long atNanos) {
    }

    /** Closes what this graph built (newest first); parts handed to its builder are the caller's to close. */
    @Override
    public void close() {
        synchronized (owned) {
            while (!owned.isEmpty()) {
                try {
                    owned.pop().close();
                } catch (Exception e) {
                    // closing is best effort: the next part still gets closed
                }
            }
        }
    }

    private Store requiredStore(String function) {
        return store.get().orElseThrow(() -> {
            FunctionRequirements.require(settings(), function, Need.STORE);
            return new IllegalStateException("no store although " + Settings.COSMOS_ENDPOINT + " is set");
        });
    }

    /** The settings, once the webhook's {@code need} is known to be met. */
    private Settings required(Need need) {
        FunctionRequirements.require(settings(), "AlertWebhook", need);
        return settings();
    }

    private <T extends AutoCloseable> T own(T part) {
        synchronized (owned) {
            owned.push(part);
        }
        return part;
    }

    /** App settings plus optional replacements for the Azure adapters (the local runtime's stand-ins, fakes). */
    public static final class Builder {
        private final Map<String, String> appSettings;
        private AlertPublisher publisher;
        private Store store;
        private PlatformClient platform;
        private LogSink logSink;
        private DeadLetters deadLetters;
        private Clock clock = Clock.systemUTC();
        private java.util.function.Consumer<AlertDelivery.Builder> deliveryTuning = d -> { };

        private Builder(Map<String, String> appSettings) {
            this.appSettings = Map.copyOf(Objects.requireNonNull(appSettings, "appSettings"));
        }

        public Builder publisher(AlertPublisher publisher) {
            this.publisher = publisher;
            return this;
        }

        public Builder store(Store store) {
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

        public Builder deadLetters(DeadLetters deadLetters) {
            this.deadLetters = deadLetters;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Adjusts the dequeuer's use case (the local runtime's and the tests' short retry budgets). */
        public Builder deliveryTuning(java.util.function.Consumer<AlertDelivery.Builder> tuning) {
            this.deliveryTuning = Objects.requireNonNull(tuning, "tuning");
            return this;
        }

        public AppGraph build() {
            return new AppGraph(this);
        }
    }
}
