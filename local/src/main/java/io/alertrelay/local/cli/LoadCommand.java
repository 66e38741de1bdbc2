package io.alertrelay.local.cli;

import io.alertrelay.local.load.LoadGenerator;
import io.alertrelay.local.load.LoadReport;
import io.alertrelay.local.load.Notifications;
import java.io.IOException;
import java.io.PrintStream;
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

/**
 * {@code load}: N distinct notifications at concurrency C against a running pipeline; prints accepted/s,
 * delivered/s, accept and end-to-end latency (to the arrival at the sample receiver), then the same load against
 * {@code /api/noop} on the same server for a ratio.
 */
final class LoadCommand {

    static final String USAGE = "load [--count 1000] [--concurrency 32] [--url http://127.0.0.1:7071] [--tenant load]"
            + " [--file SAMPLE] [--warmup 500] [--timeout 120]";

    private LoadCommand() {
    }

    static int run(List<String> args, Path projectDir, PrintStream out) throws InterruptedException, IOException {
        Arguments a = Arguments.parse(args, Set.of("count", "concurrency", "url", "tenant", "file", "warmup", "timeout"));
        int count = a.intOption("count", 1000, 1);
        int concurrency = a.intOption("concurrency", 32, 1);
        int warmup = a.intOption("warmup", Math.min(500, count), 0);
        Duration timeout = Duration.ofSeconds(a.intOption("timeout", 120, 1));
        String tenant = a.option("tenant", "load");
        URI base = URI.create(a.option("url", "http://127.0.0.1:7071"));
        byte[] sample = a.option("file", null) == null ? Notifications.bundledSample()
                : Files.readAllBytes(Path.of(a.option("file", null)));
        Notifications notifications = new Notifications(sample, UUID.randomUUID().toString().substring(0, 8));
        URI webhook = base.resolve("/api/alerts/" + tenant + "?token="
                + URLEncoder.encode(ProjectTokens.tokenFor(projectDir, tenant), StandardCharsets.UTF_8));
        URI noop = base.resolve("/api/noop");
        LoadGenerator load = new LoadGenerator(concurrency);

        out.printf("load: %d notifications at concurrency %d against %s (tenant %s, warm-up %d)%n",
                count, concurrency, base, tenant, warmup);
        if (warmup > 0) {
            load.post(webhook, warmup, concurrency, i -> notifications.get(count + i));
            load.post(noop, warmup, concurrency, notifications::get);
        }
        LoadGenerator.Phase pipeline = load.post(webhook, count, concurrency, notifications::get);
        Map<String, Long> arrivals = awaitDeliveries(load, base, pipeline, timeout, out);
        LoadGenerator.Phase baseline = load.post(noop, count, concurrency, notifications::get);
        new LoadReport(pipeline, arrivals, baseline).print(out);
        return pipeline.accepted() == count && arrivals.keySet().containsAll(pipeline.acceptedIdsSentAt().keySet())
                ? 0 : 1;
    }

    /** Polls the receiver's arrivals until every accepted id has arrived or the timeout passed. */
    private static Map<String, Long> awaitDeliveries(LoadGenerator load, URI base, LoadGenerator.Phase pipeline,
                                                     Duration timeout, PrintStream out)
            throws IOException, InterruptedException {
        URI deliveries = base.resolve("/status/deliveries.json");
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> expected = pipeline.acceptedIdsSentAt().keySet();
        Map<String, Long> arrivals = new HashMap<>();
        long since = pipeline.startedAtMillis();
        while (true) {
            // Only what arrived since the latest arrival seen: the poll must not load the pipeline it measures.
            Map<String, Long> more = load.arrivals(deliveries, since);
            more.keySet().retainAll(expected);
            arrivals.putAll(more);
            // with a margin: an arrival is stamped when it comes in and listed once verified, so one stamped
            // earlier can be listed after a later one
            since = Math.max(since, more.values().stream().mapToLong(Long::longValue).max().orElse(since) - 10_000);
            if (arrivals.size() == expected.size() || System.nanoTime() > deadline) {
                if (arrivals.size() < expected.size()) {
                    out.printf("only %d of %d accepted notifications arrived within %s%n", arrivals.size(),
                            expected.size(), timeout);
                }
                return arrivals;
            }
            Thread.sleep(500);
        }
    }
}
