package io.alertrelay.local.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.testing.Eventually;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * The noisy-neighbour trickle posts on its schedule whatever the intake's answers do, as Azure Monitor sends each
 * notification on its own: a trickle that waited for each answer fell behind a slow intake and then caught up in
 * bursts, which the fair share put in the bulk lane.
 */
class TrickleTest {

    @Test
    void theTricklePostsItsNextNotificationWhileEarlierOnesAreStillUnanswered() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        AtomicInteger ids = new AtomicInteger();
        try (MockWebServer intake = new MockWebServer()) {
            intake.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                    answer.await(30, TimeUnit.SECONDS); // an intake that answers nothing until released
                    return new MockResponse().setResponseCode(202)
                            .setBody("{\"id\":\"quiet." + ids.incrementAndGet() + "\"}");
                }
            });
            intake.start();
            Trickle trickle = new Trickle(new LoadGenerator(4), intake.url("/api/alerts/quiet").uri(), 20,
                    i -> ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));

            trickle.start();
            Eventually.await("three posts at the intake with none answered", Duration.ofSeconds(10),
                    intake::getRequestCount, n -> n >= 3);
            answer.countDown();
            trickle.stop();

            assertThat(trickle.failures()).isZero();
            assertThat(trickle.acceptedIdsAnsweredAt()).as("every post's 202 counted").hasSize(trickle.requests());
        }
    }
}
