package io.alertrelay.local.cli;

import io.alertrelay.intake.TenantTokens;
import io.alertrelay.local.LocalSettings;
import io.alertrelay.local.load.Arrivals;
import io.alertrelay.local.load.CpuClock;
import io.alertrelay.local.load.LoadGenerator;
import io.alertrelay.local.load.LoadReport;
import io.alertrelay.local.load.NoisyNeighbour;
import io.alertrelay.local.load.NoisyReport;
import io.alertrelay.local.load.Notifications;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code load}: N distinct notifications at concurrency C against a running pipeline; prints accepted/s,
 * delivered/s, accept and end-to-end latency (to the arrival at the sample receiver), then the same load against
 * {@code /api/noop} on the same server for a ratio. With {@code --noisy N}, the noisy-neighbour run instead
 * ({@link NoisyNeighbour}): a flood of N from one tenant while a second tenant trickles.
 */
@Command(name = "load", sortOptions = false,
        header = "measure a running pipeline: accepted/s, delivered/s, latencies, a no-op baseline",
        description = {"Measures a running pipeline: posts N distinct notifications (the bundled sample, its alertId "
                + "made unique per request) with C clients, waits until each accepted one arrived at the sample "
                + "receiver, then posts the same N to /api/noop for a baseline of the same server. Exit status 1 "
                + "when not every notification was accepted and delivered in time.",
                "With --noisy N: tenant --tenant posts a flood of N with C clients while tenant --quiet-tenant posts "
                + "one notification every --trickle-ms until the flood has drained; prints each tenant's latency from "
                + "the 202 to the platform (p50, p99) and the flood's drain time. The warm-up is posted for tenant "
                + "<tenant>-warmup and delivered before the flood starts.", ""})
final class LoadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    HelpOption help;

    @Option(names = "--count", paramLabel = "N", defaultValue = "1000",
            description = "notifications to post (default ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--concurrency", paramLabel = "C", defaultValue = "32",
            description = "clients posting at once, each waiting for its answer (default ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:7071",
            description = "the running pipeline (default ${DEFAULT-VALUE})")
    URI url;

    @Option(names = "--tenant", paramLabel = "TENANT", defaultValue = "load",
            description = "the tenant to post for (default ${DEFAULT-VALUE})")
    String tenant;

    @Option(names = "--file", paramLabel = "SAMPLE",
            description = "a common-schema notification to vary (default: local/samples/demo-metric-alert.json)")
    Path file;

    /** No-op posts per warm-up notification that warm the generator's own HTTP client before it measures. */
    static final int GENERATOR_WARMUP_PER_NOTIFICATION = 20;

    @Option(names = "--warmup", paramLabel = "N",
            description = "notifications posted and delivered first, not measured, and "
                    + GENERATOR_WARMUP_PER_NOTIFICATION + " × N posts to /api/noop that warm the load generator "
                    + "itself (default: 500, at most --count)")
    Integer warmup;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "how long to wait for the deliveries (default ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = "--noisy", paramLabel = "N",
            description = "noisy-neighbour run: a flood of N from --tenant while --quiet-tenant trickles (no --count)")
    Integer noisy;

    @Option(names = "--quiet-tenant", paramLabel = "TENANT", defaultValue = "quiet",
            description = "with --noisy: the tenant that trickles (default ${DEFAULT-VALUE})")
    String quietTenant;

    @Option(names = "--trickle-ms", paramLabel = "MS", defaultValue = "250",
            description = "with --noisy: one quiet notification every MS milliseconds (default ${DEFAULT-VALUE})")
    int trickleMillis;

    private final CommandEnvironment env;
    /** Keeps this run's alert ids apart from every other run's (duplicate detection would drop a repeat). */
    private final String runId = UUID.randomUUID().toString().substring(0, 8);

    LoadCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws InterruptedException, IOException {
        int n = noisy != null ? noisy : count;
        atLeast(noisy != null ? "--noisy" : "--count", n, 1);
        if (noisy != null && spec.commandLine().getParseResult().hasMatchedOption("--count")) {
            throw new ParameterException(spec.commandLine(), "--noisy N is the flood's size: give it without --count");
        }
        atLeast("--concurrency", concurrency, 1);
        atLeast("--timeout", timeoutSeconds, 1);
        atLeast("--trickle-ms", trickleMillis, 1);
        int warm = warmup == null ? Math.min(500, n) : warmup;
        atLeast("--warmup", warm, 0);
        if (!PipelineClient.isPipelineUrl(url)) {
            throw new ParameterException(spec.commandLine(), "--url must be an http:// or https:// address: " + url);
        }
        for (String t : noisy != null ? List.of(tenant, quietTenant) : List.of(tenant)) {
            if (!TenantTokens.isValidTenant(t)) {
                throw new ParameterException(spec.commandLine(), ProjectTokens.invalidTenant(t));
            }
        }
        if (noisy != null && quietTenant.equals(tenant)) {
            throw new ParameterException(spec.commandLine(), "--quiet-tenant must differ from --tenant: " + tenant);
        }
        Notifications notifications = notifications(runId);
        LocalSettings settings = ProjectTokens.settings(env);
        // Before the first post: a stopped pipeline is one clear line, not a run of failed requests.
        new PipelineClient(url).get("/api/health");

        URI webhook = webhook(settings, tenant);
        if (noisy != null) {
            return noisy(settings, notifications, webhook, warm);
        }
        URI noop = url.resolve("/api/noop");
        LoadGenerator load = new LoadGenerator(concurrency);
        Duration timeout = Duration.ofSeconds(timeoutSeconds);

        env.out().printf("load: %d notifications at concurrency %d against %s (tenant %s, warm-up %d)%n",
                count, concurrency, url, tenant, warm);
        if (warm > 0) {
            // Delivered before the measured phase starts: its backlog is not the measured alerts' latency.
            LoadGenerator.Phase warmUp = load.post(webhook, warm, concurrency, i -> notifications.get(count + i));
            env.out().printf("warm-up   %d of %d delivered before the measured run%n",
                    awaitDeliveries(load, warmUp, timeout).size(), warm);
            // The load generator is a fresh JVM: without this its own JIT compiles while the pipeline phase runs,
            // on the same cores, and not during the no-op phase that comes second. The no-op route costs the server
            // little, so the generator warms its HTTP client there (about two seconds for 10,000 posts).
            load.post(noop, GENERATOR_WARMUP_PER_NOTIFICATION * warm, concurrency, notifications::get);
        }
        CpuClock cpu = new CpuClock(load, url);
        CpuClock.Reading beforePipeline = cpu.read();
        LoadGenerator.Phase pipeline = load.post(webhook, count, concurrency, notifications::get);
        Map<String, Long> arrivals = awaitDeliveries(load, pipeline, timeout);
        CpuClock.Reading afterPipeline = cpu.read();
        LoadGenerator.Phase baseline = load.post(noop, count, concurrency, notifications::get);
        CpuClock.Reading afterBaseline = cpu.read();
        new LoadReport(pipeline, arrivals, baseline).print(env.out());
        LoadReport.printCpu(env.out(), afterPipeline.since(beforePipeline), arrivals.size(),
                afterBaseline.since(afterPipeline), baseline.accepted());
        return pipeline.accepted() == count && arrivals.keySet().containsAll(pipeline.acceptedIdsSentAt().keySet())
                ? Commands.OK : Commands.FAILED;
    }

    /**
     * The noisy-neighbour run: the warm-up (for its own tenant, delivered before anything is measured), then the flood
     * with the trickle beside it.
     */
    private int noisy(LocalSettings settings, Notifications flood, URI floodWebhook, int warm)
            throws InterruptedException, IOException {
        LoadGenerator load = new LoadGenerator(concurrency);
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        env.out().printf("load: noisy neighbour against %s: tenant %s floods %d at concurrency %d, tenant %s posts one"
                + " every %d ms (warm-up %d for tenant %s)%n", url, tenant, noisy, concurrency, quietTenant,
                trickleMillis, warm, tenant + "-warmup");
        if (warm > 0) {
            LoadGenerator.Phase warmUp = load.post(webhook(settings, tenant + "-warmup"), warm, concurrency,
                    notifications(runId + "-warmup")::get);
            awaitDeliveries(load, warmUp, timeout);
        }
        NoisyNeighbour.Result result = new NoisyNeighbour(load).run(new NoisyNeighbour.Plan(floodWebhook,
                webhook(settings, quietTenant), url.resolve("/status/deliveries.json"), noisy, concurrency,
                trickleMillis, timeout), flood::get, notifications(runId + "-quiet")::get);
        NoisyReport report = new NoisyReport(result, tenant, quietTenant);
        report.print(env.out(), trickleMillis);
        return result.flood().accepted() == noisy && report.allDelivered() ? Commands.OK : Commands.FAILED;
    }

    private Notifications notifications(String runId) throws IOException {
        if (file != null && !Files.isRegularFile(file)) {
            throw new ParameterException(spec.commandLine(), "no such file: " + file);
        }
        byte[] sample = file == null ? Notifications.bundledSample() : Files.readAllBytes(file);
        try {
            return new Notifications(sample, runId);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--file: " + e.getMessage());
        }
    }

    private URI webhook(LocalSettings settings, String forTenant) {
        String token = ProjectTokens.tokenFor(settings, forTenant);
        return url.resolve("/api/alerts/" + forTenant + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    }

    private void atLeast(String option, int value, int min) {
        if (value < min) {
            throw new ParameterException(spec.commandLine(), option + " must be at least " + min + ": " + value);
        }
    }

    /** Polls the receiver's arrivals until every accepted id has arrived or the timeout passed. */
    private Map<String, Long> awaitDeliveries(LoadGenerator load, LoadGenerator.Phase pipeline, Duration timeout)
            throws InterruptedException {
        Arrivals arrivals = new Arrivals(load, url.resolve("/status/deliveries.json"), pipeline.startedAtMillis());
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> expected = pipeline.acceptedIdsSentAt().keySet();
        while (true) {
            try {
                arrivals.poll();
            } catch (java.net.ConnectException e) {
                throw new IllegalStateException("the pipeline at " + PipelineUnreachableException.hostAndPort(url)
                        + " stopped while the deliveries were awaited (nothing listens there now)");
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the receiver's arrivals: " + e.getMessage());
            }
            if (arrivals.allArrived(expected) || System.nanoTime() > deadline) {
                Map<String, Long> arrived = new HashMap<>(arrivals.arrivedAt());
                arrived.keySet().retainAll(expected);
                if (arrived.size() < expected.size()) {
                    env.out().printf("only %d of %d accepted notifications arrived within %s%n", arrived.size(),
                            expected.size(), timeout);
                }
                return arrived;
            }
            Thread.sleep(500);
        }
    }
}
