package io.alertrelay.local.cli;

import io.alertrelay.intake.TenantTokens;
import io.alertrelay.local.load.LoadGenerator;
import io.alertrelay.local.load.LoadReport;
import io.alertrelay.local.load.Notifications;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
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
 * {@code /api/noop} on the same server for a ratio.
 */
@Command(name = "load", sortOptions = false,
        header = "measure a running pipeline: accepted/s, delivered/s, latencies, a no-op baseline",
        description = {"Measures a running pipeline: posts N distinct notifications (the bundled sample, its alertId "
                + "made unique per request) with C clients, waits until each accepted one arrived at the sample "
                + "receiver, then posts the same N to /api/noop for a baseline of the same server. Exit status 1 "
                + "when not every notification was accepted and delivered in time.", ""})
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

    @Option(names = "--warmup", paramLabel = "N",
            description = "notifications posted first and not measured (default: 500, at most --count)")
    Integer warmup;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "how long to wait for the deliveries (default ${DEFAULT-VALUE})")
    int timeoutSeconds;

    private final CommandEnvironment env;

    LoadCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws InterruptedException, IOException {
        atLeast("--count", count, 1);
        atLeast("--concurrency", concurrency, 1);
        atLeast("--timeout", timeoutSeconds, 1);
        int warm = warmup == null ? Math.min(500, count) : warmup;
        atLeast("--warmup", warm, 0);
        if (!PipelineClient.isPipelineUrl(url)) {
            throw new ParameterException(spec.commandLine(), "--url must be an http:// or https:// address: " + url);
        }
        if (!TenantTokens.isValidTenant(tenant)) {
            throw new ParameterException(spec.commandLine(), ProjectTokens.invalidTenant(tenant));
        }
        if (file != null && !Files.isRegularFile(file)) {
            throw new ParameterException(spec.commandLine(), "no such file: " + file);
        }
        byte[] sample = file == null ? Notifications.bundledSample() : Files.readAllBytes(file);
        Notifications notifications;
        try {
            notifications = new Notifications(sample, UUID.randomUUID().toString().substring(0, 8));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--file: " + e.getMessage());
        }
        String token = ProjectTokens.tokenFor(ProjectTokens.settings(env), tenant);
        // Before the first post: a stopped pipeline is one clear line, not a run of failed requests.
        new PipelineClient(url).get("/api/health");

        URI webhook = url.resolve("/api/alerts/" + tenant + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
        URI noop = url.resolve("/api/noop");
        LoadGenerator load = new LoadGenerator(concurrency);
        Duration timeout = Duration.ofSeconds(timeoutSeconds);

        env.out().printf("load: %d notifications at concurrency %d against %s (tenant %s, warm-up %d)%n",
                count, concurrency, url, tenant, warm);
        if (warm > 0) {
            load.post(webhook, warm, concurrency, i -> notifications.get(count + i));
            load.post(noop, warm, concurrency, notifications::get);
        }
        LoadGenerator.Phase pipeline = load.post(webhook, count, concurrency, notifications::get);
        Map<String, Long> arrivals = awaitDeliveries(load, pipeline, timeout);
        LoadGenerator.Phase baseline = load.post(noop, count, concurrency, notifications::get);
        new LoadReport(pipeline, arrivals, baseline).print(env.out());
        return pipeline.accepted() == count && arrivals.keySet().containsAll(pipeline.acceptedIdsSentAt().keySet())
                ? Commands.OK : Commands.FAILED;
    }

    private void atLeast(String option, int value, int min) {
        if (value < min) {
            throw new ParameterException(spec.commandLine(), option + " must be at least " + min + ": " + value);
        }
    }

    /** Polls the receiver's arrivals until every accepted id has arrived or the timeout passed. */
    private Map<String, Long> awaitDeliveries(LoadGenerator load, LoadGenerator.Phase pipeline, Duration timeout)
            throws InterruptedException {
        URI deliveries = url.resolve("/status/deliveries.json");
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> expected = pipeline.acceptedIdsSentAt().keySet();
        Map<String, Long> arrivals = new HashMap<>();
        long since = pipeline.startedAtMillis();
        while (true) {
            // Only what arrived since the latest arrival seen: the poll must not load the pipeline it measures.
            Map<String, Long> more;
            try {
                more = load.arrivals(deliveries, since);
            } catch (java.net.ConnectException e) {
                throw new IllegalStateException("the pipeline at " + PipelineUnreachableException.hostAndPort(url)
                        + " stopped while the deliveries were awaited (nothing listens there now)");
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the receiver's arrivals: " + e.getMessage());
            }
            more.keySet().retainAll(expected);
            arrivals.putAll(more);
            // with a margin: an arrival is stamped when it comes in and listed once verified, so one stamped
            // earlier can be listed after a later one
            since = Math.max(since, more.values().stream().mapToLong(Long::longValue).max().orElse(since) - 10_000);
            if (arrivals.size() == expected.size() || System.nanoTime() > deadline) {
                if (arrivals.size() < expected.size()) {
                    env.out().printf("only %d of %d accepted notifications arrived within %s%n", arrivals.size(),
                            expected.size(), timeout);
                }
                return arrivals;
            }
            Thread.sleep(500);
        }
    }
}
