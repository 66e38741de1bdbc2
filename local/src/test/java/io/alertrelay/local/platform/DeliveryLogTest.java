package io.alertrelay.local.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The receiver's record, read by time: exact although arrivals are recorded nearly, not exactly, in their order. */
class DeliveryLogTest {

    @TempDir
    Path dir;

    @Test
    void arrivalsSinceATimeAreExactlyThoseStampedAtOrAfterItInTheOrderRecorded() {
        try (DeliveryLog log = DeliveryLog.open(dir.resolve("d.jsonl"))) {
            long[] arrivals = {100, 90, 200, 150, 300};
            for (int i = 0; i < arrivals.length; i++) {
                log.recordIfNew(new Delivery("ev-" + i, "t", "contoso", arrivals[i]));
            }

            assertThat(ids(log.arrivedSince(150))).containsExactly("ev-2", "ev-3", "ev-4");
            assertThat(ids(log.arrivedSince(95))).containsExactly("ev-0", "ev-2", "ev-3", "ev-4");
            assertThat(ids(log.arrivedSince(0))).hasSize(5);
            assertThat(ids(log.arrivedSince(301))).isEmpty();
            assertThat(log.arrivedSince(301).next()).isEqualTo(5);
        }
    }

    @Test
    void aLongRecordIsSearchedNotScannedAndAReopenedOneKeepsItsOrder() {
        try (DeliveryLog log = DeliveryLog.open(dir.resolve("d.jsonl"))) {
            for (int i = 0; i < 3_000; i++) {
                log.recordIfNew(new Delivery("ev-" + i, "t", "contoso", 1_000 + i));
            }
        }
        try (DeliveryLog reopened = DeliveryLog.open(dir.resolve("d.jsonl"))) {
            reopened.recordIfNew(new Delivery("late", "t", "contoso", 3_600)); // stamped before the last ones

            assertThat(ids(reopened.arrivedSince(3_500))).hasSize(501).startsWith("ev-2500").endsWith("ev-2999", "late");
            assertThat(reopened.recordedAfter(2_999).deliveries()).extracting(Delivery::id)
                    .containsExactly("ev-2999", "late");
        }
    }

    private static java.util.List<String> ids(Recorded recorded) {
        return recorded.deliveries().stream().map(Delivery::id).toList();
    }
}
