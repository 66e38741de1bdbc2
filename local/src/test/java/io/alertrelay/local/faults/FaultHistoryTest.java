package io.alertrelay.local.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.domain.Json;
import io.alertrelay.domain.StoredAlert;
import io.alertrelay.intake.TenantTokens;
import io.alertrelay.logging.entry.LogEntry;
import io.alertrelay.settings.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-JVM pipeline under a random, seeded schedule of faults — platform 5xx, 429 with Retry-After, 3xx, hangs and
 * connection resets, short platform outages; store unavailable and throttled; broker redelivery and lock expiry; the
 * same notification posted up to 32 times; Fired and Resolved reordered; a stop and restart under load — with the
 * history recorded (every 202, every POST the platform saw and what it answered, every final document, the
 * dead-letter queue, every log row) and then checked:
 * <ul>
 *   <li>every 202 ends as exactly one effective delivery (the platform acknowledged it; a repeat carries the same
 *       Idempotency-Key), or as a deadlettered document whose message is in the dead-letter queue, or — a Fired whose
 *       Resolved came first — as superseded and never acknowledged;</li>
 *   <li>no Fired is acknowledged after its Resolved was;</li>
 *   <li>no event is in two final states (acknowledged by the platform, and deadlettered or superseded in the store);</li>
 *   <li>no secret appears in any log row.</li>
 * </ul>
 * Every failure names its seed; {@code -Dfaults.seed=N} replays one, {@code -Dfaults.seeds=1000} (the long profile)
 * runs more. The seed fixes the workload and the fault schedules; thread timing still varies between runs.
 */
class FaultHistoryTest {

    private static final String TENANT = "chaos";
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(90);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Each seed's pipeline keeps its data in a folder of {@code dirs}, which JUnit removes after the run. */
    @TestFactory
    Stream<DynamicTest> everyAcceptedAlertEndsDeliveredOnceOrDeadLetteredUnderASeededScheduleOfFaults(
            @TempDir Path dirs) {
        return seeds().mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed,
                () -> run(seed, Files.createDirectory(dirs.resolve("seed-" + seed)))));
    }

    private static LongStream seeds() {
        String one = System.getProperty("faults.seed");
        if (one != null) {
            return LongStream.of(Long.parseLong(one));
        }
        return LongStream.rangeClosed(1, Long.getLong("faults.seeds", 20));
    }

    private void run(long seed, Path dir) throws Exception {
        List<Workload.Post> workload = Workload.of(seed, 8, 8);
        Map<String, Accepted> accepted = new ConcurrentHashMap<>();
        try (FaultPipeline pipeline = new FaultPipeline(seed, dir)) {
            String token = new TenantTokens(List.of(new Secret(pipeline.tokenKey))).tokenFor(TENANT);
            post(pipeline, workload, token, accepted, seed);
            pipeline.platform.calm();
            pipeline.store.calm();
            settle(pipeline, accepted.keySet(), seed);
            check(seed, pipeline, accepted);
        }
    }

    /** Posts the workload from 8 threads, as Azure Monitor would (it retries 503, 429, 408 and timeouts). */
    private void post(FaultPipeline pipeline, List<Workload.Post> workload, String token,
                      Map<String, Accepted> accepted, long seed) throws Exception {
        ExecutorService posters = Executors.newFixedThreadPool(8);
        AtomicInteger done = new AtomicInteger();
        int restartAt = workload.size() / 2;
        for (Workload.Post p : workload) {
            posters.submit(() -> {
                postUntilAccepted(pipeline, p, token, seed).ifPresent(r -> accepted.put(r.id(), r));
                done.incrementAndGet();
                return null;
            });
        }
        posters.shutdown();
        while (done.get() < restartAt) {
            FaultPipeline.sleep(5);
        }
        pipeline.platform.outage(800);
        pipeline.restart(); // a stop and a start under load
        assertThat(posters.awaitTermination(3, TimeUnit.MINUTES)).as("seed " + seed + ": posting ended").isTrue();
    }

    private Optional<Accepted> postUntilAccepted(FaultPipeline pipeline, Workload.Post p, String token, long seed) {
        for (int attempt = 1; attempt <= 40; attempt++) {
            try {
                URI uri = pipeline.webhookBase().resolve("/api/alerts/" + TENANT + "?token=" + token);
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(p.body())).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 202) {
                    var body = Json.readTree(r.body());
                    return Optional.of(new Accepted(body.path("id").asText(), body.path("type").asText(), p.instance()));
                }
                assertThat(r.statusCode()).as("seed " + seed + ": a retryable answer, never " + r.body())
                        .isIn(503, 429, 408);
            } catch (IOException e) {
                // the host is restarting: Azure Monitor retries a timeout or a refused connection too
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
            FaultPipeline.sleep(50);
        }
        throw new AssertionError("seed " + seed + ": a notification was never accepted");
    }

    /** Waits until every accepted event has a final document and the subscription is empty. */
    private void settle(FaultPipeline pipeline, Set<String> ids, long seed) {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            boolean allFinal = ids.stream().allMatch(id -> pipeline.store.inner().find(TENANT, id)
                    .map(d -> d.status() != DeliveryStatus.RECEIVED).orElse(false));
            if (allFinal && pipeline.activeMessages() == 0 && pipeline.inFlight() == 0) {
                return;
            }
            FaultPipeline.sleep(50);
        }
        // Not a failure by itself: the checks below say what did not settle.
    }

    private void check(long seed, FaultPipeline pipeline, Map<String, Accepted> accepted) {
        List<ChaosPlatform.Post> posts = pipeline.platform.posts();
        Set<String> deadLettered = pipeline.deadLettered();
        List<String> violations = new ArrayList<>();
        for (Accepted a : accepted.values()) {
            Optional<StoredAlert> doc = pipeline.store.inner().find(TENANT, a.id());
            boolean acknowledged = posts.stream().anyMatch(p -> p.eventId().equals(a.id()) && p.acknowledged());
            DeliveryStatus status = doc.map(StoredAlert::status).orElse(null);
            if (status == DeliveryStatus.DELIVERED && !acknowledged) {
                violations.add(a + " is delivered in the store but the platform never acknowledged it; posts "
                        + posts.stream().filter(p -> p.eventId().equals(a.id())).toList() + "; doc " + doc.get()
                        .withEtag(null).toString().replaceAll("event=.*", ""));
            } else if (acknowledged && status != DeliveryStatus.DELIVERED) {
                violations.add(a + " was acknowledged by the platform but is " + status + " in the store");
            } else if (status == DeliveryStatus.DEADLETTERED && !deadLettered.contains(a.id())) {
                violations.add(a + " is deadlettered but its message is not in the dead-letter queue");
            } else if (status == DeliveryStatus.SUPERSEDED && (a.instance() == null || a.type().endsWith("resolved"))) {
                violations.add(a + " is superseded but is no Fired");
            } else if (status == null || status == DeliveryStatus.RECEIVED || status == DeliveryStatus.REJECTED) {
                violations.add(a + " ended " + status + (deadLettered.contains(a.id()) ? " (dead-lettered)" : ""));
            }
        }
        violations.addAll(firedAfterResolved(accepted, posts));
        Map<DeliveryStatus, Long> byStatus = new java.util.TreeMap<>(accepted.keySet().stream().map(id -> pipeline.store
                .inner().find(TENANT, id).map(StoredAlert::status).orElse(DeliveryStatus.RECEIVED))
                .collect(java.util.stream.Collectors.groupingBy(s -> s, java.util.stream.Collectors.counting())));
        System.out.printf("fault history seed %d: %d accepted %s; platform saw %d requests, acknowledged %d; "
                + "%d dead-lettered messages; %d log rows%n", seed, accepted.size(), byStatus, posts.size(),
                posts.stream().filter(ChaosPlatform.Post::acknowledged).count(), deadLettered.size(),
                pipeline.logs.entries().size());
        violations.addAll(secretsInLogs(pipeline));
        assertThat(violations).as("seed " + seed + " (replay: -Dfaults.seed=" + seed + "); accepted "
                + accepted.size() + ", platform requests " + posts.size() + ", dead-lettered " + deadLettered.size())
                .isEmpty();
    }

    /** No Fired acknowledged after the first acknowledgement of its Resolved. */
    private static List<String> firedAfterResolved(Map<String, Accepted> accepted, List<ChaosPlatform.Post> posts) {
        List<String> violations = new ArrayList<>();
        for (Accepted resolved : accepted.values()) {
            if (resolved.instance() == null || !resolved.type().endsWith("resolved")) {
                continue;
            }
            Optional<Long> resolvedAt = posts.stream().filter(p -> p.eventId().equals(resolved.id()) && p.acknowledged())
                    .map(ChaosPlatform.Post::seq).min(Comparator.naturalOrder());
            accepted.values().stream()
                    .filter(f -> resolved.instance().equals(f.instance()) && f.type().endsWith("fired"))
                    .forEach(fired -> posts.stream()
                            .filter(p -> p.eventId().equals(fired.id()) && p.acknowledged()
                                    && resolvedAt.isPresent() && p.seq() > resolvedAt.get())
                            .findFirst()
                            .ifPresent(p -> violations.add(fired + " acknowledged (request " + p.seq()
                                    + ") after its Resolved (request " + resolvedAt.get() + ")")));
        }
        return violations;
    }

    private static List<String> secretsInLogs(FaultPipeline pipeline) {
        List<String> secrets = List.of(pipeline.tokenKey, pipeline.signingSecret,
                pipeline.signingSecret.substring("whsec_".length()));
        List<String> violations = new ArrayList<>();
        for (LogEntry e : pipeline.logs.entries()) {
            String row = Json.write(e.toRow());
            secrets.stream().filter(row::contains).findFirst()
                    .ifPresent(s -> violations.add("a log row holds a secret: " + e.stage() + " " + e.message()));
        }
        return violations;
    }

    /** A 202: the event id and type the webhook answered, and the alert instance it belongs to (null: custom). */
    record Accepted(String id, String type, String instance) {
    }
}
