package io.alertrelay.bench;

import io.alertrelay.adapter.servicebus.ServiceBusAlertPublisher;
import io.alertrelay.local.servicebus.ServiceBusEmulator;
import io.alertrelay.domain.AlertMessage;
import io.alertrelay.settings.Secret;
import io.alertrelay.settings.ServiceBusTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publish throughput and latency of {@link ServiceBusAlertPublisher} against the Service Bus emulator on loopback:
 * N messages from the fixture mix (each with its own MessageId) sent by C threads, each send timed until the
 * broker's acknowledgement. A harness, not a test: {@code java -cp bench/target/benchmarks.jar
 * io.alertrelay.bench.PublishBenchmark [N] [C]}.
 */
public final class PublishBenchmark {

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        List<AlertMessage> messages = FixtureMix.messages(total);
        try (ServiceBusEmulator bus = ServiceBusEmulator.builder().topic("alerts", "platform-delivery").build().start();
             ServiceBusAlertPublisher publisher = ServiceBusAlertPublisher.builder()
                     .target(new ServiceBusTarget(Optional.of(new Secret(bus.connectionString())), Optional.empty()))
                     .topic("alerts").sendTimeout(Duration.ofSeconds(10)).build()) {
            run(publisher, messages.subList(0, Math.min(2_000, total)), concurrency, new Latencies(total)); // warm-up
            Latencies latencies = new Latencies(total);
            long start = System.nanoTime();
            run(publisher, messages, concurrency, latencies);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("publish: %d messages, %d threads: %.0f messages/s; latency %s%n",
                    total, concurrency, total / seconds, latencies.summary());
        }
    }

    private static void run(ServiceBusAlertPublisher publisher, List<AlertMessage> messages, int concurrency,
                            Latencies latencies) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < messages.size(); i = next.getAndIncrement()) {
                    long begin = System.nanoTime();
                    publisher.publish(messages.get(i));
                    latencies.add(System.nanoTime() - begin);
                }
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        pool.shutdown();
    }
}
