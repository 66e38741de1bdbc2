package io.alertrelay.adapter.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The group commit of the publisher, with a group sender of our own in place of the Service Bus SDK. */
class GroupedSendsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final List<List<String>> groups = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    @Test
    void aLoneCallerSendsAtOnceInAGroupOfItsOwn() {
        GroupedSends<String> sends = new GroupedSends<>(this::record);

        sends.send("a", TIMEOUT);
        sends.send("b", TIMEOUT);

        assertThat(groups).containsExactly(List.of("a"), List.of("b"));
    }

    @Test
    void callersWhoQueueWhileAGroupIsOnItsWayGoTogetherInTheNext() throws Exception {
        CountDownLatch firstOnItsWay = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        GroupedSends<String> sends = new GroupedSends<>(group -> {
            if (groups.isEmpty()) {
                firstOnItsWay.countDown();
                await(releaseFirst);
            }
            record(group);
        });
        Future<?> first = callers.submit(() -> sends.send("first", TIMEOUT));
        firstOnItsWay.await(5, TimeUnit.SECONDS);
        List<Future<?>> queued = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String value = "q" + i;
            queued.add(callers.submit(() -> sends.send(value, TIMEOUT)));
        }
        Thread.sleep(100); // all twenty are queued behind the first group

        releaseFirst.countDown();
        first.get(5, TimeUnit.SECONDS);
        for (Future<?> f : queued) {
            f.get(5, TimeUnit.SECONDS);
        }

        assertThat(groups).hasSize(2);
        assertThat(groups.get(0)).containsExactly("first");
        assertThat(groups.get(1)).hasSize(20);
    }

    @Test
    void aFailedGroupFailsEveryCallerInItAndNoOther() throws Exception {
        GroupedSends<String> sends = new GroupedSends<>(group -> {
            if (group.stream().anyMatch(i -> i.value().equals("doomed"))) {
                throw new IllegalStateException("link detached");
            }
            record(group);
        });

        assertThatThrownBy(() -> sends.send("doomed", TIMEOUT)).isInstanceOf(GroupedSends.SendFailedException.class)
                .hasRootCauseMessage("link detached");
        sends.send("fine", TIMEOUT);

        assertThat(groups).containsExactly(List.of("fine"));
    }

    @Test
    void anItemTheSenderSettlesAsFailedFailsItsCallerAlone() throws Exception {
        GroupedSends<String> sends = new GroupedSends<>(group -> group.forEach(i -> {
            if (i.value().equals("too large")) {
                i.failed(new IllegalArgumentException("larger than the topic accepts"));
            } else {
                i.sent();
            }
        }));

        assertThatThrownBy(() -> sends.send("too large", TIMEOUT)).hasRootCauseMessage("larger than the topic accepts");
        sends.send("small", TIMEOUT);
    }

    @Test
    void anItemLeftUnsettledFailsRatherThanHangs() {
        GroupedSends<String> sends = new GroupedSends<>(group -> { });

        assertThatThrownBy(() -> sends.send("lost", TIMEOUT)).isInstanceOf(GroupedSends.SendFailedException.class)
                .hasMessageContaining("unsettled");
    }

    @Test
    void aCallerQueuedLongerThanItsTimeoutFailsAndIsNeverSent() throws Exception {
        CountDownLatch releaseFirst = new CountDownLatch(1);
        GroupedSends<String> sends = new GroupedSends<>(group -> {
            if (group.stream().anyMatch(i -> i.value().equals("slow"))) {
                await(releaseFirst);
            }
            record(group);
        });
        Future<?> slow = callers.submit(() -> sends.send("slow", TIMEOUT));
        Thread.sleep(100);

        assertThatThrownBy(() -> sends.send("impatient", Duration.ofMillis(200)))
                .isInstanceOf(GroupedSends.SendFailedException.class).hasRootCauseInstanceOf(TimeoutException.class);
        releaseFirst.countDown();
        slow.get(5, TimeUnit.SECONDS);
        sends.send("later", TIMEOUT);

        assertThat(groups).containsExactly(List.of("slow"), List.of("later"));
    }

    @Test
    void manyConcurrentCallersAreEachSentExactlyOnce() throws Exception {
        GroupedSends<String> sends = new GroupedSends<>(this::record);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            String value = "m" + i;
            all.add(CompletableFuture.runAsync(() -> sends.send(value, TIMEOUT), callers));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        List<String> sent = groups.stream().flatMap(List::stream).toList();
        assertThat(sent).hasSize(2_000).doesNotHaveDuplicates();
    }

    private void record(List<GroupedSends.Item<String>> group) {
        groups.add(group.stream().map(GroupedSends.Item::value).toList());
        group.forEach(GroupedSends.Item::sent);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
