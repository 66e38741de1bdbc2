package io.alertrelay.local.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alertrelay.logging.InvocationLog;
import io.alertrelay.logging.entry.Outcome;
import io.alertrelay.logging.PipelineLog;
import io.alertrelay.logging.Redaction;
import io.alertrelay.logging.entry.Stage;
import io.alertrelay.domain.AlertMessage;
import io.alertrelay.port.AlertPublisher;
import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.port.LogSink;
import io.alertrelay.port.PublishFailedException;
import io.alertrelay.domain.StoredAlert;
import java.util.List;
import java.util.Map;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The status page's view of the pipeline, read off the same log entries the table gets. */
class PipelineActivityTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    private static final String TYPE = "io.alertrelay.alert.fired";

    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private final Clock clock = new Clock() {
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
    };
    /** The page's clock and the log's: one clock, as in the runtime. */
    private final PipelineActivity activity = new PipelineActivity(3, clock);
    private final PipelineLog log = PipelineLog.of(new ActivityLogSink(LogSink.none(), activity),
            Redaction.patternsOnly(), clock);

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
    void theLatencyIsNeverNegativeWhenTheDeliveryIsLoggedBeforeTheWebhooksPublishedEntry() {
        // The dequeuer is faster than the webhook's thread: it delivers and logs before "published" is logged.
        dequeuer("ev-1").log(Stage.DELIVERED, "delivered");
        now.set(T0.plusMillis(1));
        webhook("ev-1").log(Stage.PUBLISHED, "published");

        PipelineActivity.EventActivity e = activity.latest(1).get(0);
        assertThat(e.status()).isEqualTo("delivered");
        assertThat(e.latencyMillis()).as("unknown rather than negative").isNull();
    }

    @Test
    void theAcceptanceIsRecordedBeforePublishingSoAFastDeliveryStillHasItsLatency() {
        // The publish is acknowledged, and the message delivered, before the publisher returns.
        AlertPublisher bus = message -> {
            now.set(T0.plusMillis(5));
            dequeuer(message.messageId()).log(Stage.DELIVERED, "delivered");
            now.set(T0.plusMillis(7));
        };
        AlertPublisher publisher = activity.recordingAcceptance(bus);

        publisher.publish(new AlertMessage("ev-1", TYPE, "application/cloudevents+json", new byte[0],
                Map.of("tenant", "contoso")));
        webhook("ev-1").log(Stage.PUBLISHED, "published");

        PipelineActivity.EventActivity e = activity.latest(1).get(0);
        assertThat(e.status()).isEqualTo("delivered");
        assertThat(e.latencyMillis()).isEqualTo(5);
    }

    @Test
    void aFailedPublishRecordsNoAcceptance() {
        AlertPublisher publisher = activity.recordingAcceptance(message -> {
            throw new PublishFailedException("bus unreachable", null);
        });

        assertThatThrownBy(() -> publisher.publish(new AlertMessage("ev-1", TYPE, "application/cloudevents+json",
                new byte[0], Map.of("tenant", "contoso")))).isInstanceOf(PublishFailedException.class);

        assertThat(activity.latest(10)).isEmpty();
    }

    @Test
    void aDuplicatePostDoesNotChangeADeliveredEventsUpdatedTimeNorItsPlace() {
        webhook("ev-1").log(Stage.PUBLISHED, "published");
        now.set(T0.plusMillis(10));
        dequeuer("ev-1").log(Stage.DELIVERED, "delivered");
        now.set(T0.plusMillis(20));
        webhook("ev-2").log(Stage.PUBLISHED, "published");

        now.set(T0.plusSeconds(60));
        webhook("ev-1").log(Stage.PUBLISHED, "published"); // the same notification posted again

        assertThat(activity.latest(10)).extracting(PipelineActivity.EventActivity::id).containsExactly("ev-2", "ev-1");
        PipelineActivity.EventActivity e = activity.latest(10).get(1);
        assertThat(e.status()).isEqualTo("delivered");
        assertThat(e.updatedAt()).isEqualTo(T0.plusMillis(10));
        assertThat(e.latencyMillis()).isEqualTo(10);
    }

    @Test
    void eventsRestoredFromTheStoreFillTheLatestEventsNewestFirstWithoutALatency() {
        Instant earlier = T0.minusSeconds(3600);
        activity.restore(List.of(stored("ev-2", DeliveryStatus.DEADLETTERED, earlier.plusSeconds(2), null),
                stored("ev-1", DeliveryStatus.DELIVERED, earlier.plusSeconds(1), earlier.plusSeconds(1))));

        assertThat(activity.latest(10)).extracting(PipelineActivity.EventActivity::id).containsExactly("ev-2", "ev-1");
        PipelineActivity.EventActivity delivered = activity.latest(10).get(1);
        assertThat(delivered.status()).isEqualTo("delivered");
        assertThat(delivered.tenant()).isEqualTo("contoso");
        assertThat(delivered.type()).isEqualTo(TYPE);
        assertThat(delivered.updatedAt()).isEqualTo(earlier.plusSeconds(1));
        assertThat(delivered.latencyMillis()).isNull();

        webhook("ev-1").log(Stage.PUBLISHED, "published"); // posted again after the restart: still delivered
        assertThat(activity.latest(10).get(1).status()).isEqualTo("delivered");
        assertThat(activity.latest(10).get(1).latencyMillis()).isNull();
    }

    private static StoredAlert stored(String id, DeliveryStatus status, Instant updatedAt, Instant deliveredAt) {
        return new StoredAlert(id, "contoso", TYPE, "key-" + id, "Fired", status, 1, updatedAt, updatedAt, deliveredAt,
                null, null, "1");
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
