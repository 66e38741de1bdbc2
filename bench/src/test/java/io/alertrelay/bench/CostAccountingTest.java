package io.alertrelay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cost harness's accounting (not its figures): threads land in the right groups, stages add up. */
class CostAccountingTest {

    @Test
    void theStandInsThreadsAreToldApartFromTheApplications() {
        assertThat(CostBenchmark.groupOf("servicebus-emulator-41234")).isEqualTo(CostBenchmark.STAND_IN_BUS);
        assertThat(CostBenchmark.groupOf("platform-stub")).isEqualTo(CostBenchmark.STAND_IN_PLATFORM);
        assertThat(CostBenchmark.groupOf("logs-receiver")).isEqualTo(CostBenchmark.STAND_IN_LOGS);
        assertThat(CostBenchmark.groupOf("MVStore background writer data/store/alertrelay.mv.db")).isEqualTo(CostBenchmark.STAND_IN_H2);
        assertThat(CostBenchmark.groupOf("bench-caller-7")).isEqualTo(CostBenchmark.CALLERS);
        assertThat(CostBenchmark.groupOf("alertrelay-logs-ingestion")).isEqualTo(CostBenchmark.LOG_SINK);
        assertThat(CostBenchmark.groupOf("reactor-http-nio-2")).isEqualTo(CostBenchmark.LOG_SINK);
        assertThat(CostBenchmark.groupOf("boundedElastic-3")).isEqualTo(CostBenchmark.SDK_AND_OTHER);
        assertThat(Costs.application(new ThreadCpu.Phase(Map.of(CostBenchmark.STAND_IN_BUS, 5L,
                CostBenchmark.CALLERS, 7L, CostBenchmark.HARNESS, 11L, CostBenchmark.SDK_AND_OTHER, 13L), 0)))
                .as("stand-ins and the harness are not the application's").isEqualTo(20);
    }

    @Test
    void aPhaseCountsWhatAThreadBurnsInItAndNothingFromBefore() throws Exception {
        ThreadCpu cpu = new ThreadCpu(CostBenchmark::groupOf);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch exit = new java.util.concurrent.CountDownLatch(1);
        Thread worker = new Thread(() -> {
            burn(20_000_000);
            try {
                go.await();
                burn(20_000_000);
                done.countDown();
                exit.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-caller-test");
        worker.start();
        ThreadCpu.Snapshot before = cpu.snapshot();
        go.countDown();
        done.await();
        ThreadCpu.Phase phase = cpu.snapshot().minus(before);
        exit.countDown();
        worker.join();

        assertThat(phase.group(CostBenchmark.CALLERS)).isPositive();
        assertThat(phase.threads()).isEqualTo(phase.byGroup().values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void theStagesShareThePhasesWithoutCountingACallTwice() {
        Costs c = new Costs();
        c.webhook = new ThreadCpu.Phase(Map.of(CostBenchmark.CALLERS, 1_000L, CostBenchmark.SDK_AND_OTHER, 200L,
                CostBenchmark.LOG_SINK, 50L), 0);
        c.dequeue = new ThreadCpu.Phase(Map.of(CostBenchmark.SDK_AND_OTHER, 3_000L, CostBenchmark.OKHTTP, 60L,
                CostBenchmark.LOG_SINK, 70L), 0);
        c.receiveIsolated = new ThreadCpu.Phase(Map.of(CostBenchmark.SDK_AND_OTHER, 300L), 0);
        c.publishCalls = new long[] {10, 400};
        c.webhookOffers = new long[] {20, 30};
        c.dequeueOffers = new long[] {30, 40};
        c.deliverCalls = new long[] {10, 500};
        c.storeCalls = new long[] {60, 1_200};
        c.webhookRowBuild = 100;
        c.dequeueRowBuild = 150;

        Map<String, Long> stages = c.stages(10);

        assertThat(stages.values()).containsExactly(
                (1_000L - 400 - 30 - 100) / 10,          // webhook: its threads less publish, offers, rows
                (400L + 200) / 10,                       // publish: the calls and the SDK's threads
                300L / 10,                               // receive, isolated
                (3_130L - 300 - 1_200 - 560 - 260) / 10, // dequeuer: the rest of the phase
                1_200L / 10,                             // store calls
                (500L + 60) / 10,                        // deliver: the calls and OkHttp's threads
                (30L + 100 + 50 + 40 + 150 + 70) / 10);  // log: offers, rows built, the sink's threads
        long attributed = stages.values().stream().mapToLong(Long::longValue).sum() * 10;
        assertThat(attributed).as("every nanosecond of the two phases' application threads, once; receive is"
                + " measured apart and taken out of the dequeue phase").isEqualTo(
                Costs.application(c.webhook) + Costs.application(c.dequeue));
    }

    private static long burn(long n) {
        long x = 0;
        for (long i = 0; i < n; i++) {
            x += i ^ (x >>> 3);
        }
        return x;
    }
}
