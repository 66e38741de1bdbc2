package io.alertrelay.local.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Posts N requests with C concurrent clients (each waits for its answer before sending the next, as action groups
 * do) and measures each answer's latency; for the webhook it keeps the event id and send time of every 202, so
 * deliveries can be matched to them.
 */
public final class LoadGenerator {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;

    public LoadGenerator(int concurrency) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newFixedThreadPool(Math.max(4, concurrency / 2), r -> {
                    Thread t = new Thread(r, "load-http");
                    t.setDaemon(true);
                    return t;
                }))
                .build();
    }

    /**
     * What one phase of posting gave: for each 202, the event id with the time its request was sent and the time its
     * 202 came back (epoch ms).
     */
    public record Phase(int requests, int accepted, Map<Integer, Integer> statuses, int failures, double seconds,
                        double[] latencyMillis, Map<String, Long> acceptedIdsSentAt,
                        Map<String, Long> acceptedIdsAnsweredAt, long startedAtMillis) {

        public double acceptedPerSecond() {
            return accepted / seconds;
        }
    }

    /** Posts {@code count} bodies to {@code uri} with {@code concurrency} clients. */
    public Phase post(URI uri, int count, int concurrency, IntFunction<byte[]> body) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        double[] latencies = new double[count];
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        Map<String, Long> ids = new ConcurrentHashMap<>();
        Map<String, Long> answered = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        long startedAt = System.currentTimeMillis();
        long t0 = System.nanoTime();
        for (int c = 0; c < concurrency; c++) {
            clients.execute(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body.apply(i))).build();
                    long sentAt = System.currentTimeMillis();
                    long start = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                        latencies[i] = (System.nanoTime() - start) / 1e6;
                        statuses.merge(r.statusCode(), 1, Integer::sum);
                        if (r.statusCode() == 202) {
                            accepted.incrementAndGet();
                            String id = eventId(r.body());
                            if (id != null) {
                                ids.put(id, sentAt);
                                answered.put(id, System.currentTimeMillis());
                            }
                        }
                    } catch (IOException e) {
                        latencies[i] = Double.NaN;
                        failures.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
        }
        clients.shutdown();
        clients.awaitTermination(1, TimeUnit.HOURS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double[] measured = java.util.Arrays.stream(latencies).filter(d -> !Double.isNaN(d)).toArray();
        return new Phase(count, accepted.get(), new TreeMap<>(statuses), failures.get(), seconds, measured, ids,
                answered, startedAt);
    }

    /** One answer to one post: its status, the event id of a 202, and when it was sent and answered (epoch ms). */
    public record Answer(int status, String eventId, long sentAtMillis, long answeredAtMillis) {
    }

    /** Posts one body and waits for its answer; a connection failure is an {@link IOException}. */
    public Answer postOne(URI uri, byte[] body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        long sentAt = System.currentTimeMillis();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.statusCode() == 202 ? eventId(r.body()) : null, sentAt,
                System.currentTimeMillis());
    }

    /** Arrivals read from the receiver: arrival time by event id, and the position to read on from. */
    public record Arrived(Map<String, Long> arrivedAt, int next) {
    }

    /**
     * Arrival times at the sample receiver, by event id (from the status endpoint), for {@code query}:
     * {@code since=<epoch ms>} or {@code after=<position>}.
     */
    public Arrived arrivals(URI deliveriesJson, String query) throws IOException, InterruptedException {
        JsonNode root = getJson(URI.create(deliveriesJson + "?" + query));
        Map<String, Long> arrivals = new HashMap<>();
        for (JsonNode d : root.path("deliveries")) {
            arrivals.put(d.path("id").asText(), d.path("arrivedAtMillis").asLong());
        }
        if (!root.path("next").canConvertToInt()) {
            throw new IOException("GET " + deliveriesJson + " gave no 'next' position: an older runtime?");
        }
        return new Arrived(arrivals, root.path("next").intValue());
    }

    /** A GET of a JSON document of the pipeline's host; any answer but 200 is an {@link IOException}. */
    JsonNode getJson(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + uri + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** End-to-end latencies (send → arrival at the receiver) of the ids that arrived. */
    public static double[] endToEnd(Map<String, Long> sentAt, Map<String, Long> arrivedAt) {
        List<Double> latencies = new ArrayList<>();
        sentAt.forEach((id, sent) -> {
            Long arrived = arrivedAt.get(id);
            if (arrived != null) {
                latencies.add((double) (arrived - sent));
            }
        });
        return latencies.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * Latencies from each 202 to the arrival at the receiver. A delivery can reach the receiver before the client has
     * read its 202 (the webhook answers once the message is on the topic, and the dequeuer may be quicker than the
     * response's way back): that counts as 0 ms after the 202, not as a negative latency.
     */
    public static double[] afterThe202(Map<String, Long> answeredAt, Map<String, Long> arrivedAt) {
        return Arrays.stream(endToEnd(answeredAt, arrivedAt)).map(latency -> Math.max(0, latency)).toArray();
    }

    static String eventId(String body) {
        try {
            JsonNode id = JSON.readTree(body).path("id");
            return id.isTextual() ? id.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
