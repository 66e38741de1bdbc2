package io.alertrelay.local.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.domain.Json;
import io.alertrelay.domain.StoredAlert;
import io.alertrelay.port.TransientStoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's journal: each change reads back as written, a record cut short is ignored, replays are idempotent. */
class StoreJournalTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:15:30.123456789Z");
    private static final String TENANT = "contoso";

    @TempDir
    Path dir;

    @Test
    void everyKindOfChangeReadsBackAsItWasWritten() throws IOException {
        AlertRow created = AlertRow.of(alert("ev-1"), 1, true);
        AlertRow delivered = AlertRow.of(alert("ev-1").delivered(2, T0.plusSeconds(1))
                .withLeaseEnded("holder-1", T0), 2, false);
        try (StoreJournal journal = StoreJournal.start(dir, List.of(), StoreJournal.ROTATE_AT_BYTES)) {
            journal.alert(created);
            journal.alert(delivered);
            journal.resolved(TENANT, "rule/instance-1", "ev-2", T0);
            journal.payload(TENANT, "ev-1", new byte[] {1, 2, 3});
            journal.tenant(TENANT);
        }

        Recorded recorded = new Recorded();
        assertThat(StoreJournal.replay(StoreJournal.files(dir).get(0), recorded)).isEqualTo(5);

        assertThat(recorded.changes).containsExactly(created, delivered,
                List.of("resolved", TENANT, "rule/instance-1", "ev-2", T0),
                List.of("payload", TENANT, "ev-1", "[1, 2, 3]"),
                List.of("tenant", TENANT));
        assertThat(created.event()).contains("\"id\":\"ev-1\"");
        assertThat(delivered.event()).isNull();
        assertThat(delivered.endedLeases()).contains("holder-1");
    }

    @Test
    void aRecordCutShortWhenTheProcessEndedIsIgnoredAndTheWholeOnesApplied() throws IOException {
        try (StoreJournal journal = StoreJournal.start(dir, List.of(), StoreJournal.ROTATE_AT_BYTES)) {
            journal.tenant("a");
            journal.tenant("b");
            journal.alert(AlertRow.of(alert("ev-1"), 1, true));
        }
        Path file = StoreJournal.files(dir).get(0);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(file) - 10);
        }

        Recorded recorded = new Recorded();
        assertThat(StoreJournal.replay(file, recorded)).isEqualTo(2);
        assertThat(recorded.changes).containsExactly(List.of("tenant", "a"), List.of("tenant", "b"));
    }

    @Test
    void theJournalsAreListedOldestFirstAndANewOneFollowsThem() throws IOException {
        for (String name : List.of("store.journal-10", "store.journal-9", "store.journal-x", "other")) {
            Files.writeString(dir.resolve(name), "");
        }

        List<Path> left = StoreJournal.files(dir);
        assertThat(left).containsExactly(dir.resolve("store.journal-9"), dir.resolve("store.journal-10"));
        StoreJournal.start(dir, left, StoreJournal.ROTATE_AT_BYTES).close();
        assertThat(dir.resolve("store.journal-11")).exists();
    }

    /** A change the journal cannot take fails as the store's other transient failures, and its write is undone. */
    @Test
    void aWriteWhoseChangeTheJournalCannotTakeIsRolledBackAndFailsAsTransient() {
        StoreJournal closed = StoreJournal.start(dir, List.of(), StoreJournal.ROTATE_AT_BYTES);
        closed.close();
        assertThatThrownBy(() -> closed.tenant("late")).isInstanceOf(TransientStoreException.class);

        try (H2Store store = H2Store.open(dir.resolve("store"), 2)) {
            assertThatThrownBy(() -> store.write("register a tenant", (c, journal) -> {
                H2TenantRegistry.merge(c, "ghost");
                closed.tenant("ghost"); // as a full disk would fail it
                return null;
            })).isInstanceOf(TransientStoreException.class);
            assertThat(store.registry().tenants()).doesNotContain("ghost");
        }
    }

    /** Replaying what H2 already holds — again, or an older version of a document — changes nothing. */
    @Test
    void replayingWritesTheTableAlreadyHoldsChangesNothing() throws IOException {
        try (H2Store store = H2Store.open(dir, 2)) {
            StoredAlert created = store.documents().createIfAbsent(alert("ev-1"));
            StoredAlert delivered = store.documents().update(created, d -> d.delivered(1, T0.plusSeconds(1)));
            store.instances().markResolved(TENANT, "rule/instance-1", "ev-1", T0.plusSeconds(5));
            Path journal = StoreJournal.files(dir).get(0);

            StoreJournal.replay(journal, new H2JournalReplay(store));
            new H2JournalReplay(store).alert(AlertRow.of(created, 1, true));
            new H2JournalReplay(store).resolved(TENANT, "rule/instance-1", "ev-0", T0);

            assertThat(store.documents().find(TENANT, "ev-1")).contains(delivered);
            assertThat(store.instances().resolvedAt(TENANT, "rule/instance-1")).contains(T0.plusSeconds(5));
            assertThat(store.countsByStatus()).containsEntry("delivered", 1L);
        }
    }

    private static StoredAlert alert(String id) {
        return new StoredAlert(id, TENANT, "io.alertrelay.alert.fired", "rule/instance-1", "Fired",
                DeliveryStatus.RECEIVED, 0, T0, T0, null, null, Json.readTree("{\"id\":\"" + id + "\"}"), null);
    }

    /** The changes a replay applies, as values to compare. */
    private static final class Recorded implements StoreChanges {
        final List<Object> changes = new ArrayList<>();

        @Override
        public void alert(AlertRow row) {
            changes.add(row);
        }

        @Override
        public void resolved(String tenant, String alertKey, String resolvedEventId, Instant resolvedAt) {
            changes.add(List.of("resolved", tenant, alertKey, resolvedEventId, resolvedAt));
        }

        @Override
        public void payload(String tenant, String eventId, byte[] payload) {
            changes.add(List.of("payload", tenant, eventId, Arrays.toString(payload)));
        }

        @Override
        public void tenant(String name) {
            changes.add(List.of("tenant", name));
        }
    }
}
