package io.alertrelay.local.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.logging.InvocationLog;
import io.alertrelay.logging.entry.Outcome;
import io.alertrelay.logging.PipelineLog;
import io.alertrelay.logging.Redaction;
import io.alertrelay.logging.entry.Stage;
import io.alertrelay.port.LogSink;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The status page's view of the pipeline, read off the same log entries the table gets. */
class PipelineActivityTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    private static final String TYPE = "io.alertrelay.alert.fired";

    private final PipelineActivity activity = new PipelineActivity(3);
    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private final PipelineLog log = PipelineLog.of(new ActivityLogSink(LogSink.none(), activity),
            Redaction.patternsOnly(), new Clock() {
                @Override
                public ZoneOffset getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(java.time.ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return now.get();
                }
            });

    @Test
    void anEventGoesFromQueuedToDeliveredWithTheLatencyFromThe202ToTheDelivery() {
        webhook("ev-1").log(Stage.PUBLISHED, "published");
        assertThat(activity.latest(1).get(0).status()).isEqualTo("queued");

        now.set(T0.plusMillis(42));
        dequeuer("ev-1").log(Stage.RECEIVED, "message received");
        dequeuer("ev-1").log(Stage.STORED, "stored");
        dequeuer("ev-1").log(Stage.DELIVERED, "delivered");

        PipelineActivity.EventActivity e = activity.latest(1).get(0);
        assertThat(e.status()).isEqualTo("delivered");
        assertThat(e.type()).isEqualTo(TYPE);
        assertThat(e.tenant()).isEqualTo("contoso");
        assertThat(e.latencyMillis()).isEqualTo(42);
    }

    @Test
    void aRedeliveredDuplicateDoesNotUndoDelivered() {
        dequeuer("ev-1").log(Stage.DELIVERED, "delivered");

        dequeuer("ev-1").log(Stage.RECEIVED, "message received");
        dequeuer("ev-1").at(Stage.STORED).outcome(Outcome.DUPLICATE).log("already settled");

        assertThat(activity.latest(1).get(0).status()).isEqualTo("delivered");
    }

    @Test
    void stagesAreCountedPerFunctionAndOnlyTheLatestEventsAreKept() {
        for (String id : new String[] {"ev-1", "ev-2", "ev-3", "ev-4"}) {
            webhook(id).log(Stage.PUBLISHED, "published");
        }
        log.forInvocation("AlertWebhook", "inv", null).at(Stage.REJECTED).log("bad token"); // no event id

        assertThat(activity.stageCounts().get("AlertWebhook")).containsEntry("published", 4L)
                .containsEntry("rejected", 1L);
        assertThat(activity.latest(10)).extracting(PipelineActivity.EventActivity::id)
                .containsExactly("ev-4", "ev-3", "ev-2");
    }

    private InvocationLog webhook(String id) {
        return log.forInvocation("AlertWebhook", "inv", null).event(id, TYPE, "contoso");
    }

    private InvocationLog dequeuer(String id) {
        return log.forInvocation("AlertDequeuer", "inv", null).event(id, TYPE, "contoso");
    }
}
