package io.alertrelay.bench;

import io.alertrelay.adapter.logs.LocalLogsIngestion;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The figures of one round of {@link CostBenchmark}, and their division into stages per alert. */
final class Costs {

    ThreadCpu.Phase publishIsolated;
    ThreadCpu.Phase receiveIsolated;
    ThreadCpu.Phase webhook;
    ThreadCpu.Phase dequeue;
    long messageBytes;
    long billedMessageOps;
    int accepted;
    int delivered;
    long invocations;
    int deadLettered;
    long[] publishCalls;
    long[] webhookOffers;
    long[] dequeueOffers;
    long[] deliverCalls;
    long[] storeCalls;
    Map<String, Long> webhookStoreOps;
    Map<String, Long> dequeueStoreOps;
    Map<String, Long> webhookRows;
    Map<String, Long> dequeueRows;
    LocalLogsIngestion.Received webhookLogs;
    LocalLogsIngestion.Received dequeueLogs;
    long webhookRowBuild;
    long dequeueRowBuild;

    /** Application CPU of a phase: every group but the stand-ins and the harness's main thread. */
    static long application(ThreadCpu.Phase p) {
        long sum = 0;
        for (Map.Entry<String, Long> g : p.byGroup().entrySet()) {
            if (!g.getKey().startsWith("stand-in") && !g.getKey().equals(CostBenchmark.HARNESS)) {
                sum += g.getValue();
            }
        }
        return sum;
    }

    /** CPU per alert of each stage, in nanoseconds, as the class comment of {@link CostBenchmark} defines them. */
    Map<String, Long> stages(int n) {
        long publishOnCaller = publishCalls[1];
        long publishSdk = webhook.group(CostBenchmark.SDK_AND_OTHER);
        long webhookLog = webhookOffers[1] + webhookRowBuild + webhook.group(CostBenchmark.LOG_SINK);
        long webhookOwn = webhook.group(CostBenchmark.CALLERS) - publishOnCaller - webhookOffers[1] - webhookRowBuild;
        long receive = application(receiveIsolated);
        long deliver = deliverCalls[1] + dequeue.group(CostBenchmark.OKHTTP);
        long dequeueLog = dequeueOffers[1] + dequeueRowBuild + dequeue.group(CostBenchmark.LOG_SINK);
        long dequeuerOwn = application(dequeue) - receive - storeCalls[1] - deliver - dequeueLog;
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        out.put("webhook (bind, authenticate, parse, normalise, respond)", webhookOwn / n);
        out.put("publish (SDK send: calling thread + SDK threads)", (publishOnCaller + publishSdk) / n);
        out.put("receive + settle (SDK processor, isolated)", receive / n);
        out.put("dequeuer (bind, decode, rules, documents built)", dequeuerOwn / n);
        out.put("store calls (H2 engine: stand-in, see RU table)", storeCalls[1] / n);
        out.put("deliver (sign + OkHttp)", deliver / n);
        out.put("log (rows built, offered, batched, gzipped, sent)", (webhookLog + dequeueLog) / n);
        return out;
    }

    void print(int n) {
        System.out.printf(Locale.ROOT, "cost per alert over %d alerts of the fixture mix: %d accepted (202), %d"
                + " delivered, %d dead-lettered%n", n, accepted, delivered, deadLettered);
        System.out.println("CPU per alert by stage (µs; CPU time per thread, ThreadMXBean):");
        long appTotal = 0;
        for (Map.Entry<String, Long> s : stages(n).entrySet()) {
            System.out.printf(Locale.ROOT, "  %-58s %8.1f%n", s.getKey(), s.getValue() / 1e3);
            if (!s.getKey().startsWith("store")) {
                appTotal += s.getValue();
            }
        }
        System.out.printf(Locale.ROOT, "  %-58s %8.1f%n", "application total (store calls excluded)", appTotal / 1e3);
        System.out.printf(Locale.ROOT, "  publish isolated (cross-check of publish): %.1f µs; threads: %s%n",
                application(publishIsolated) / 1e3 / n, perAlert(publishIsolated, n));
        System.out.printf(Locale.ROOT, "  webhook phase threads: %s; process %.1f µs%n", perAlert(webhook, n),
                webhook.processNanos() / 1e3 / n);
        System.out.printf(Locale.ROOT, "  dequeue phase threads: %s; process %.1f µs%n", perAlert(dequeue, n),
                dequeue.processNanos() / 1e3 / n);
        System.out.printf(Locale.ROOT, "  receive phase threads: %s%n", perAlert(receiveIsolated, n));
        long unattributed = webhook.processNanos() + dequeue.processNanos() - webhook.threads() - dequeue.threads();
        System.out.printf(Locale.ROOT, "  not on any thread seen (GC, JIT, ended threads), webhook + dequeue phases:"
                + " %.1f µs%n", unattributed / 1e3 / n);
        System.out.printf(Locale.ROOT, "  log rows built in isolation: %.2f µs per row%n",
                (webhookRowBuild + dequeueRowBuild) / 1e3 / Math.max(1, rows(webhookRows) + rows(dequeueRows)));

        System.out.printf(Locale.ROOT, "store operations per alert: webhook %s, dequeuer %s = %.2f%n",
                webhookStoreOps, dequeueStoreOps, (total(webhookStoreOps) + total(dequeueStoreOps)) / (double) n);
        long sends = publishCalls[0];
        System.out.printf(Locale.ROOT, "Service Bus operations per alert: send %.2f, receive %.2f, complete %.2f,"
                        + " abandon %.2f (client side: publish calls; dequeuer invocations, each ending in one"
                        + " settlement; abandons = invocations - accepted); billed 64 KB units per send %.3f;"
                        + " message %.0f bytes on average%n",
                sends / (double) n, invocations / (double) n, (invocations - Math.max(0, invocations - accepted))
                        / (double) n, Math.max(0, invocations - accepted) / (double) n,
                billedMessageOps / (double) n, messageBytes / (double) n);
        long rows = webhookLogs.rows() + dequeueLogs.rows();
        System.out.printf(Locale.ROOT, "log rows per alert: %.2f (%s); Logs Ingestion payload %.0f bytes/alert"
                        + " (JSON, uncompressed; %.0f gzipped on the wire; %d requests); billed-size estimate"
                        + " (column values as text) %.0f bytes/alert%n",
                rows / (double) n, merged(webhookRows, dequeueRows),
                (webhookLogs.jsonBytes() + dequeueLogs.jsonBytes()) / (double) n,
                (webhookLogs.gzipBytes() + dequeueLogs.gzipBytes()) / (double) n,
                webhookLogs.requests() + dequeueLogs.requests(),
                (webhookLogs.billedBytes() + dequeueLogs.billedBytes()) / (double) n);
        System.out.printf(Locale.ROOT, "stand-ins per alert (not paid in Azure): emulator %.1f µs, H2 %.1f µs"
                        + " (store calls + its threads), platform stub %.1f µs, logs receiver and HTTP servers %.1f µs%n",
                (webhook.group(CostBenchmark.STAND_IN_BUS) + dequeue.group(CostBenchmark.STAND_IN_BUS)) / 1e3 / n,
                (storeCalls[1] + webhook.group(CostBenchmark.STAND_IN_H2) + dequeue.group(CostBenchmark.STAND_IN_H2))
                        / 1e3 / n,
                dequeue.group(CostBenchmark.STAND_IN_PLATFORM) / 1e3 / n,
                (webhook.group(CostBenchmark.STAND_IN_LOGS) + dequeue.group(CostBenchmark.STAND_IN_LOGS)) / 1e3 / n);
    }

    private static String perAlert(ThreadCpu.Phase p, int n) {
        StringBuilder out = new StringBuilder();
        p.byGroup().forEach((g, nanos) -> out.append(out.length() == 0 ? "" : ", ").append(g).append(' ')
                .append(String.format(Locale.ROOT, "%.1f", nanos / 1e3 / n)));
        return out.toString();
    }

    private static long total(Map<String, Long> ops) {
        return ops.values().stream().mapToLong(Long::longValue).sum();
    }

    private static long rows(Map<String, Long> byStage) {
        return total(byStage);
    }

    private static Map<String, Long> merged(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> out = new TreeMap<>(a);
        b.forEach((k, v) -> out.merge(k, v, Long::sum));
        return out;
    }
}
