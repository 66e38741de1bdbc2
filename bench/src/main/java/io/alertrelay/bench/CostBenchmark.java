package io.alertrelay.bench;

import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusProcessorClient;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import io.alertrelay.adapter.logs.LocalLogsIngestion;
import io.alertrelay.adapter.platform.OkHttpPlatformClient;
import io.alertrelay.adapter.servicebus.LaneFilters;
import io.alertrelay.domain.Lane;
import io.alertrelay.adapter.servicebus.ServiceBusAlertPublisher;
import io.alertrelay.domain.AlertMessage;
import io.alertrelay.functions.AppGraph;
import io.alertrelay.functions.FunctionClasses;
import io.alertrelay.intake.TenantTokens;
import io.alertrelay.local.host.FunctionApp;
import io.alertrelay.local.host.FunctionInstances;
import io.alertrelay.local.host.FunctionInvoker;
import io.alertrelay.local.host.HostData;
import io.alertrelay.local.host.LocalExecutionContext;
import io.alertrelay.local.servicebus.ServiceBusEmulator;
import io.alertrelay.local.store.H2Store;
import io.alertrelay.local.trigger.ServiceBusTriggerDriver;
import io.alertrelay.logging.InvocationLog;
import io.alertrelay.logging.PipelineLog;
import io.alertrelay.logging.Redaction;
import io.alertrelay.logging.entry.LogEntry;
import io.alertrelay.port.LogSink;
import io.alertrelay.settings.Secret;
import io.alertrelay.settings.ServiceBusTarget;
import io.alertrelay.settings.Settings;
import io.alertrelay.testing.FormattingNullHandler;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What one alert costs, as the product's own figures (issue 16, point 3): CPU per stage, store operations, Service Bus
 * operations, log rows and bytes. N alerts of the fixture mix go through the real function classes (bound through the
 * packaged function.json files), the real Service Bus SDK against the emulator over AMQP, the H2 store, the real
 * OkHttp platform client against a local stub, and the real Logs Ingestion sink (batching, gzip, HTTPS through the
 * Azure SDK) against a local HTTPS receiver, whose request bodies are what Log Analytics would ingest.
 *
 * <p><b>How CPU is attributed.</b> CPU time, not wall time (ThreadMXBean, per thread), so the other processes on the
 * machine barely disturb it. Each stage runs as a phase of its own, and every live thread's CPU is read before and
 * after the phase and grouped by thread name ({@link #groupOf}): the stand-ins' threads (emulator, platform stub, logs
 * receiver, H2's writer) are reported apart as "stand-in, not paid in Azure". Inside a phase, the adapters the graph
 * is given are wrapped to measure the CPU of their calls on the calling thread ({@link CpuMeter}). Phases:
 * <ol>
 * <li><b>publish</b> in isolation: the publisher sends N messages to a second topic; all application threads' CPU.</li>
 * <li><b>receive</b> in isolation: a processor client set as the trigger driver (prefetch 0, 32 concurrent calls,
 * peek-lock) receives and completes them; all application threads' CPU.</li>
 * <li><b>webhook</b>: AlertWebhook invoked by 32 threads with N notifications (publishing to the alerts topic);
 * webhook = those threads' CPU minus the publish calls and the log offers on them.</li>
 * <li><b>dequeue</b>: the trigger driver runs AlertDequeuer until all N are settled. Store = CPU inside the store's
 * calls (with H2 that is the embedded engine, a stand-in: in Azure the store is paid in request units, see the
 * README); deliver = CPU inside the platform client's calls plus OkHttp's threads; dequeuer = the rest of the
 * application threads minus receive (phase 2).</li>
 * <li><b>log rows built</b> in isolation: every entry the sink got in phases 3-4 is made again through the
 * pipeline log (redaction, the function logger's line); their CPU is moved from webhook and dequeuer to log, which
 * also holds the offers and the sink's own threads (batching, gzip, HTTPS).</li>
 * </ol>
 * The JVM's own work (GC, JIT) is not on any thread that ThreadMXBean sees; the process CPU minus all threads shows
 * it. A warm-up round runs first, so the figures are of a warm JVM (cold start: {@link ColdStartBenchmark}).
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.alertrelay.bench.CostBenchmark [N] [warm-up N]} from the project
 * root, after {@code mvn -B -q -DskipTests package}.
 */
public final class CostBenchmark {

    static final String STAND_IN_BUS = "stand-in: Service Bus emulator";
    static final String STAND_IN_PLATFORM = "stand-in: platform stub";
    static final String STAND_IN_LOGS = "stand-in: logs receiver, HTTP servers";
    static final String STAND_IN_H2 = "stand-in: H2 threads";
    static final String CALLERS = "webhook callers";
    static final String LOG_SINK = "log sink threads";
    static final String OKHTTP = "OkHttp threads";
    static final String HARNESS = "harness";
    static final String SDK_AND_OTHER = "SDK and other application threads";
    private static final int CONCURRENCY = 32;
    private static final String ISOLATION = "isolation";
    static final String STANDARD_LANE = "platform-delivery";
    static final String BULK_LANE = "platform-delivery-bulk";
    private static final List<Logger> FUNCTION_LOGGERS = new ArrayList<>();

    private CostBenchmark() {
    }

    /** Which part of the system a thread works for, by its name. */
    static String groupOf(String thread) {
        if (thread.startsWith("servicebus-emulator")) {
            return STAND_IN_BUS;
        }
        if (thread.startsWith("platform-stub")) {
            return STAND_IN_PLATFORM;
        }
        if (thread.startsWith("logs-receiver") || thread.startsWith("HTTP-Dispatcher")) {
            return STAND_IN_LOGS;
        }
        if (thread.startsWith("MVStore") || thread.startsWith("H2 ")) {
            return STAND_IN_H2;
        }
        if (thread.startsWith("bench-")) {
            return CALLERS;
        }
        if (thread.startsWith("alertrelay-logs") || thread.startsWith("reactor-http-nio")) {
            return LOG_SINK;
        }
        if (thread.startsWith("OkHttp")) {
            return OKHTTP;
        }
        if (thread.equals("main")) {
            return HARNESS;
        }
        return SDK_AND_OTHER;
    }

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 3_000;
        quietFunctionLoggers();
        System.out.printf(Locale.ROOT, "cost benchmark: N=%d, warm-up %d, %d cores, load average before: %s%n", total,
                warmUp, Runtime.getRuntime().availableProcessors(), loadAverage());
        String secret = "whsec_" + Base64.getEncoder().encodeToString("bench-signing-secret-32-bytes!!!".getBytes());
        Logger quiet = Logger.getAnonymousLogger();
        quiet.setUseParentHandlers(false);
        try (ScratchDirectory data = ScratchDirectory.create("cost-bench");
             ServiceBusEmulator bus = lanes(ServiceBusEmulator.builder()).topic(ISOLATION, ISOLATION).build().start();
             PlatformStub platform = new PlatformStub();
             LocalLogsIngestion logs = LocalLogsIngestion.start();
             CountingStore store = new CountingStore(H2Store.open(data.path(), 16))) {
            Map<String, String> values = Map.of(Settings.SERVICE_BUS_CONNECTION, bus.connectionString(),
                    Settings.TENANT_TOKEN_KEYS, "bench", Settings.PLATFORM_SIGNING_SECRET, secret,
                    Settings.PLATFORM_ENDPOINT_URL, platform.url().toString(),
                    "ALERTS_TOPIC", "alerts", "ALERTS_SUBSCRIPTION", STANDARD_LANE,
                    Settings.ALERTS_BULK_SUBSCRIPTION, BULK_LANE);
            Settings settings = Settings.from(values);
            ServiceBusTarget target = new ServiceBusTarget(Optional.of(new Secret(bus.connectionString())),
                    Optional.empty());
            MeteredLogSink sink = new MeteredLogSink(logs.sink(quiet));
            MeteredPlatform platformClient = new MeteredPlatform(OkHttpPlatformClient.builder()
                    .endpoint(platform.url()).secrets(settings.platformSigningSecrets()).build());
            try (ServiceBusAlertPublisher alerts = ServiceBusAlertPublisher.builder().target(target).topic("alerts")
                    .build();
                 ServiceBusAlertPublisher isolation = ServiceBusAlertPublisher.builder().target(target)
                         .topic(ISOLATION).build()) {
                MeteredPublisher publisher = new MeteredPublisher(alerts);
                AppGraph graph = AppGraph.builder(values).store(store).platform(platformClient).publisher(publisher)
                        .logSink(sink).build();
                Counted instances = new Counted(graph);
                FunctionApp app = FunctionApp.load(FunctionApp.packagedDirectory(Path.of("")), values, instances);
                Rig rig = new Rig(bus, platform, logs, store, sink, platformClient, publisher, isolation, instances,
                        app.function("AlertWebhook").orElseThrow(), app.triggeredBy("serviceBusTrigger"),
                        new TenantTokens(settings.tenantTokenKeys()), PipelineLog.of(LogSink.none(),
                        Redaction.forSettings(settings)));
                try {
                    rig.round("warm", warmUp);
                    System.out.printf(Locale.ROOT, "warm-up: %d alerts through every phase%n", warmUp);
                    Costs costs = rig.round("cost", total);
                    costs.print(total);
                    System.out.printf(Locale.ROOT, "load average after: %s%n", loadAverage());
                } finally {
                    graph.close();
                    sink.close();
                }
            }
        }
    }

    /** The alerts topic with its two lanes and their filters, as the ARM template and the local runtime make it. */
    static ServiceBusEmulator.Builder lanes(ServiceBusEmulator.Builder bus) {
        return bus.topic("alerts", STANDARD_LANE, BULK_LANE)
                .filter("alerts", STANDARD_LANE, LaneFilters.of(Lane.STANDARD))
                .filter("alerts", BULK_LANE, LaneFilters.of(Lane.BULK));
    }

    /** The function loggers' lines are made (as in Azure, where the worker sends them to the host) but not printed. */
    private static void quietFunctionLoggers() {
        for (String name : List.of("Function.AlertWebhook", "Function.AlertDequeuer", "Function.AlertDequeuerBulk")) {
            Logger logger = Logger.getLogger(name);
            FUNCTION_LOGGERS.add(logger); // held: JUL keeps loggers weakly, and a new one would print again
            logger.setUseParentHandlers(false);
            logger.setLevel(Level.INFO);
            logger.addHandler(new FormattingNullHandler());
        }
    }

    /** Function instances from the graph, counting the dequeuer's invocations (one per message received). */
    static final class Counted implements FunctionInstances {
        private final AppGraph graph;
        final LongAdder dequeuerInvocations = new LongAdder();

        Counted(AppGraph graph) {
            this.graph = graph;
        }

        @Override
        public <T> T instance(Class<T> functionClass) {
            if (functionClass.getSimpleName().equals("AlertDequeuer")) {
                dequeuerInvocations.increment();
            }
            return FunctionClasses.create(functionClass, graph);
        }
    }

    /** Everything a round needs. */
    record Rig(ServiceBusEmulator bus, PlatformStub platform, LocalLogsIngestion logs, CountingStore store,
               MeteredLogSink sink, MeteredPlatform platformClient, MeteredPublisher publisher,
               ServiceBusAlertPublisher isolation, Counted instances, FunctionInvoker webhook,
               List<FunctionInvoker> dequeuers, TenantTokens tokens, PipelineLog rebuildLog) {

        Costs round(String prefix, int n) throws Exception {
            ThreadCpu cpu = new ThreadCpu(CostBenchmark::groupOf);
            Costs c = new Costs();
            store.takeCounts();
            store.cpu.take();
            sink.takeEntries();
            logs.take();

            // 1. publish, in isolation
            List<AlertMessage> messages = FixtureMix.messages(n, prefix + "-iso");
            c.messageBytes = messages.stream().mapToLong(m -> m.body().length).sum();
            c.billedMessageOps = messages.stream().mapToLong(m -> (m.body().length + 65_535) / 65_536).sum();
            ThreadCpu.Snapshot s0 = cpu.snapshot();
            parallel(n, i -> isolation.publish(messages.get(i)));
            c.publishIsolated = cpu.snapshot().minus(s0);

            // 2. receive and complete, in isolation, as the trigger driver's processor does
            AtomicLong completed = new AtomicLong();
            ServiceBusProcessorClient processor = new ServiceBusClientBuilder().connectionString(
                    bus.connectionString()).processor().topicName(ISOLATION).subscriptionName(ISOLATION)
                    .disableAutoComplete().prefetchCount(0).maxConcurrentCalls(CONCURRENCY)
                    .maxAutoLockRenewDuration(Duration.ofMinutes(5))
                    .processMessage(m -> {
                        m.complete();
                        completed.incrementAndGet();
                    })
                    .processError(e -> { })
                    .buildProcessorClient();
            s0 = cpu.snapshot();
            processor.start();
            awaitTrue(() -> completed.get() >= n, Duration.ofMinutes(10));
            c.receiveIsolated = cpu.snapshot().minus(s0);
            processor.close();

            // 3. the webhook: AlertWebhook invoked as the host does, publishing to the alerts topic
            List<byte[]> bodies = FixtureMix.bodies();
            publisher.cpu.take();
            sink.cpu.take();
            AtomicInteger accepted = new AtomicInteger();
            s0 = cpu.snapshot();
            parallel(n, i -> {
                String tenant = prefix + "-" + (i / bodies.size());
                if (post(tenant, bodies.get(i % bodies.size())) == 202) {
                    accepted.incrementAndGet();
                }
            });
            sink.flush(Duration.ofSeconds(30));
            c.webhook = cpu.snapshot().minus(s0);
            c.accepted = accepted.get();
            c.publishCalls = publisher.cpu.take();
            c.webhookOffers = sink.cpu.take();
            c.webhookStoreOps = store.takeCounts();
            List<LogEntry> webhookRows = sink.takeEntries();
            c.webhookLogs = logs.take();

            // 4. the dequeuer: the trigger driver until every message is settled
            platformClient.cpu.take();
            store.cpu.take();
            int arrivedBefore = platform.arrivals().size();
            long invocationsBefore = instances.dequeuerInvocations.sum();
            s0 = cpu.snapshot();
            List<ServiceBusTriggerDriver> drivers = new ArrayList<>();
            for (FunctionInvoker dequeuer : dequeuers) { // one per lane (AlertDequeuer, AlertDequeuerBulk)
                drivers.add(new ServiceBusTriggerDriver(new ServiceBusClientBuilder().connectionString(
                        bus.connectionString()), dequeuer, CONCURRENCY, Duration.ofMinutes(5)));
            }
            try {
                drivers.forEach(ServiceBusTriggerDriver::start);
                awaitTrue(() -> bus.activeMessageCount("alerts", STANDARD_LANE) == 0
                        && bus.activeMessageCount("alerts", BULK_LANE) == 0
                        && drivers.stream().allMatch(d -> d.inFlight() == 0)
                        && instances.dequeuerInvocations.sum() - invocationsBefore >= c.accepted,
                        Duration.ofMinutes(10));
                sink.flush(Duration.ofSeconds(30));
                c.dequeue = cpu.snapshot().minus(s0);
            } finally {
                drivers.forEach(ServiceBusTriggerDriver::close);
            }
            c.delivered = platform.arrivals().size() - arrivedBefore;
            c.invocations = instances.dequeuerInvocations.sum() - invocationsBefore;
            c.deadLettered = bus.deadLetterMessageCount("alerts", STANDARD_LANE)
                    + bus.deadLetterMessageCount("alerts", BULK_LANE);
            c.deliverCalls = platformClient.cpu.take();
            c.storeCalls = store.cpu.take();
            c.dequeueOffers = sink.cpu.take();
            c.dequeueStoreOps = store.takeCounts();
            List<LogEntry> dequeueRows = sink.takeEntries();
            c.dequeueLogs = logs.take();

            // 5. the log rows built again, in isolation
            c.webhookRows = rowsByStage(webhookRows);
            c.dequeueRows = rowsByStage(dequeueRows);
            c.webhookRowBuild = rebuild(webhookRows);
            c.dequeueRowBuild = rebuild(dequeueRows);
            return c;
        }

        private int post(String tenant, byte[] body) {
            var trigger = webhook.definition().trigger();
            String token = tokens.tokenFor(tenant);
            URI uri = URI.create("http://127.0.0.1/api/alerts/" + tenant + "?token=" + token);
            Map<String, String> headers = Map.of("content-type", "application/json");
            Map<String, String> query = Map.of("token", token);
            HostData.Http request = new HostData.Http(HttpMethod.POST, uri, headers, query,
                    HostData.httpBody(body, trigger.isBinary()));
            Map<String, HostData> metadata = Map.of("tenant", new HostData.Text(tenant),
                    "Query", new HostData.Json("{\"token\":\"" + token + "\"}"),
                    "Headers", new HostData.Json("{\"content-type\":\"application/json\"}"));
            Object answer = webhook.invoke(Map.of(trigger.name(), request), metadata,
                    new LocalExecutionContext("AlertWebhook"));
            return ((HttpResponseMessage) answer).getStatusCode();
        }

        /** CPU nanoseconds to make these entries again through the pipeline log, on this thread. */
        private long rebuild(List<LogEntry> entries) {
            Logger functionLogger = Logger.getLogger("Function.AlertDequeuer");
            long start = ThreadCpu.currentThreadNanos();
            for (LogEntry e : entries) {
                InvocationLog log = rebuildLog.forInvocation(e.operation(), e.invocationId(), functionLogger);
                log = e.eventId() != null ? log.event(e.eventId(), e.eventType(), e.tenant()) : log.tenant(e.tenant());
                InvocationLog.Entry entry = log.at(e.stage()).outcome(e.outcome()).level(e.level())
                        .properties(e.properties());
                if (e.durationMs() != null) {
                    entry.durationMs(e.durationMs());
                }
                entry.log(e.message());
            }
            return ThreadCpu.currentThreadNanos() - start;
        }
    }

    static Map<String, Long> rowsByStage(List<LogEntry> entries) {
        Map<String, Long> out = new TreeMap<>();
        for (LogEntry e : entries) {
            out.merge(e.operation() + "/" + e.stage().value(), 1L, Long::sum);
        }
        return out;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return String.format(Locale.ROOT, "%.2f", java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /**
     * Runs {@code work(i)} for i in [0, n) on the {@value #CONCURRENCY} caller threads, which live as long as the
     * benchmark: a thread that ends takes its CPU time with it, and the phase's reading would lose it.
     */
    private static void parallel(int n, java.util.function.IntConsumer work) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (int t = 0; t < CONCURRENCY; t++) {
            done.add(CALLERS_POOL.submit(() -> {
                for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    work.accept(i);
                }
            }));
        }
        for (var f : done) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    private static final ExecutorService CALLERS_POOL = callers();

    private static ExecutorService callers() {
        AtomicInteger seq = new AtomicInteger();
        java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(CONCURRENCY,
                CONCURRENCY, 1, TimeUnit.DAYS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "bench-caller-" + seq.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.prestartAllCoreThreads();
        return pool;
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not settled within " + timeout);
            }
            Thread.sleep(20);
        }
    }
}
