package io.alertrelay.bench;

import io.alertrelay.local.servicebus.ServiceBusEmulator;
import io.alertrelay.settings.Settings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Cold start (issue 16, point 4): a fresh JVM per run ({@link ColdStartHost}: the function classes, the real Service
 * Bus SDK against the emulator, the OkHttp platform client), timed from the JVM's start (its RuntimeMXBean start time)
 * to the host being ready, to the first 202 and to the first delivery (seen by the platform stub in this process).
 * The stand-ins run here, warm, so they add nothing to the child's start. The child JVM starts with the options the
 * Azure Functions Java worker starts its JVM with ({@link #WORKER_JVM_OPTIONS}). Runs each mode ({@code cold},
 * {@code warm}, {@code prewarmed}; see {@link ColdStartHost}) {@code runs} times, alternating, and prints every run
 * and the medians.
 * {@code java -cp bench/target/benchmarks.jar io.alertrelay.bench.ColdStartBenchmark [runs]} from the project root,
 * after {@code mvn -B -q -DskipTests package}.
 */
public final class ColdStartBenchmark {

    private static final List<String> MODES = List.of("cold", "warm", "prewarmed");

    /**
     * The worker's own JVM options, as {@code ./alert-relay} passes them: C1 only ("Customize JVM",
     * https://learn.microsoft.com/azure/azure-functions/functions-reference-java#customize-jvm; worker.config.json in
     * azure-functions-java-worker), without {@code -noverify}, which JDK 13 deprecated.
     */
    private static final List<String> WORKER_JVM_OPTIONS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "-Djava.net.preferIPv4Stack=true");

    private ColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String secret = "whsec_" + Base64.getEncoder().encodeToString("bench-signing-secret-32-bytes!!!".getBytes());
        System.out.printf(Locale.ROOT, "cold start: %d runs per mode, load average before: %s%n", runs,
                java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim());
        Map<String, List<Map<String, Long>>> results = new LinkedHashMap<>();
        try (ServiceBusEmulator bus = CostBenchmark.lanes(ServiceBusEmulator.builder()).build().start();
             PlatformStub platform = new PlatformStub()) {
            Map<String, String> env = Map.of(Settings.SERVICE_BUS_CONNECTION, bus.connectionString(),
                    Settings.TENANT_TOKEN_KEYS, "bench", Settings.PLATFORM_SIGNING_SECRET, secret,
                    Settings.PLATFORM_ENDPOINT_URL, platform.url().toString(),
                    "ALERTS_TOPIC", "alerts", "ALERTS_SUBSCRIPTION", CostBenchmark.STANDARD_LANE,
                    Settings.ALERTS_BULK_SUBSCRIPTION, CostBenchmark.BULK_LANE);
            for (int run = 0; run < runs; run++) {
                for (String mode : MODES) {
                    Map<String, Long> points = once(mode, env, platform);
                    results.computeIfAbsent(mode, m -> new ArrayList<>()).add(points);
                    System.out.printf(Locale.ROOT, "  %-9s %s%n", mode, points);
                }
            }
        }
        System.out.println("medians, ms since JVM start (first request: its own latency):");
        results.forEach((mode, list) -> {
            Map<String, Long> median = new LinkedHashMap<>();
            for (String point : list.get(0).keySet()) {
                median.put(point, list.stream().mapToLong(p -> p.getOrDefault(point, -1L)).sorted()
                        .toArray()[list.size() / 2]);
            }
            System.out.printf(Locale.ROOT, "  %-9s %s%n", mode, median);
        });
        System.out.printf(Locale.ROOT, "load average after: %s%n",
                java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim());
    }

    private static Map<String, Long> once(String mode, Map<String, String> env, PlatformStub platform)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(WORKER_JVM_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ColdStartHost.class.getName(), mode));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process child = pb.start();
        Map<String, Long> points = new LinkedHashMap<>();
        long jvmStart = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String eventId = null;
            // read up to the event id, not a line further: the child prints nothing more until told to stop
            for (String line = out.readLine(); line != null; line = eventId == null ? out.readLine() : null) {
                if (line.startsWith("T ")) {
                    String[] p = line.substring(2).split(" ");
                    jvmStart = Long.parseLong(p[p.length - 1]);
                    points.put(String.join(" ", java.util.Arrays.copyOf(p, p.length - 2)),
                            Long.parseLong(p[p.length - 2]));
                } else if (line.startsWith("EVENT ")) {
                    eventId = line.substring(6);
                }
            }
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (eventId != null && !platform.arrivals().containsKey(eventId) && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            points.put("first delivery", platform.arrivals().containsKey(eventId)
                    ? System.currentTimeMillis() - jvmStart : -1);
            if (points.containsKey("first request") && points.containsKey("first 202")) {
                points.put("first request latency", points.get("first 202") - points.get("first request"));
            }
        } finally {
            child.getOutputStream().close();
            child.waitFor();
        }
        return points;
    }
}
