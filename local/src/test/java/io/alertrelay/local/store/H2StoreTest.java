package io.alertrelay.local.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.domain.FiredLease;
import io.alertrelay.domain.Json;
import io.alertrelay.domain.StoredAlert;
import io.alertrelay.port.PermanentStoreException;
import io.alertrelay.port.TransientStoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import io.alertrelay.testing.FakeTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only the H2 store does: it survives a restart, upgrades an older data directory, keeps Fired leases in memory
 * without letting them pile up, feeds the status page, and maps SQL failures by kind.
 */
class H2StoreTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:15:30.123456789Z");
    private static final String TENANT = "contoso";

    @TempDir
    Path dir;
    private H2Store store;

    @BeforeEach
    void open() {
        store = H2Store.open(dir, 8);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void documentsSurviveClosingAndReopeningTheDirectory() {
        store.documents().createIfAbsent(alert("ev-durable"));
        StoredAlert delivered = store.documents().update(TENANT, "ev-durable", d -> d.delivered(1, T0.plusSeconds(1)));
        store.instances().markResolved(TENANT, "key", "ev-durable", T0);
        store.payloads().put(TENANT, "ev-durable", new byte[] {1, 2, 3});
        store.close();

        store = H2Store.open(dir, 2);

        assertThat(dir).isDirectoryNotContaining("glob:**.trace.db"); // H2 logged no error while closing
        assertThat(store.documents().find(TENANT, "ev-durable")).contains(delivered);
        assertThat(store.instances().resolvedAt(TENANT, "key")).contains(T0);
        assertThat(store.payloads().get(TENANT, "ev-durable"))
                .hasValueSatisfying(p -> assertThat(p).containsExactly(1, 2, 3));
    }

    /** A data directory from before {@code ended_leases} existed gains the column at its next start. */
    @Test
    void aDataDirectoryFromBeforeTheEndedLeasesColumnGainsIt() throws SQLException {
        store.documents().createIfAbsent(alert("ev-older"));
        store.close();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.toAbsolutePath().resolve("alertrelay"),
                "alertrelay", ""); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE alerts DROP COLUMN ended_leases"); // the table as it was
        }

        store = H2Store.open(dir, 2);
        StoredAlert older = store.documents().find(TENANT, "ev-older").orElseThrow();
        store.documents().update(older, d -> d.withLeaseEnded("holder-1", T0.plusSeconds(1)));

        assertThat(older.endedLeases()).isEmpty();
        assertThat(store.documents().find(TENANT, "ev-older").orElseThrow().endedLeases()).containsExactly("holder-1");
    }

    /**
     * Nothing releases a lease, so the leases kept in memory would grow with every Fired instance ever seen: each
     * take drops those expired by then, of any instance, and keeps the others.
     */
    @Test
    void expiredLeasesOfEveryInstanceAreDroppedAsLeasesAreTaken() {
        FakeTime time = new FakeTime(); // its clock moves on by what is "slept"
        Instant t = time.clock().instant();
        H2AlertInstances instances = new H2AlertInstances(store, time.clock());
        for (int i = 0; i < 100; i++) {
            instances.leaseFired(TENANT, "rule/i-" + i, new FiredLease("ev-" + i, "holder-" + i, t, t.plusSeconds(40)));
        }
        time.sleep(Duration.ofSeconds(20));
        FiredLease later = new FiredLease("ev-later", "holder-later", t, t.plusSeconds(60));
        instances.leaseFired(TENANT, "rule/later", later);
        assertThat(instances.instancesWithLeases()).isEqualTo(101);

        time.sleep(Duration.ofSeconds(20));
        FiredLease next = new FiredLease("ev-next", "holder-next", t, t.plusSeconds(80));
        instances.leaseFired(TENANT, "rule/i-0", next);

        assertThat(instances.instancesWithLeases()).as("the 100 expired ones dropped").isEqualTo(2);
        assertThat(instances.firedLeases(TENANT, "rule/i-1")).isEmpty();
        assertThat(instances.firedLeases(TENANT, "rule/i-0")).containsExactly(next);
        assertThat(instances.firedLeases(TENANT, "rule/later")).containsExactly(later);
    }

    @Test
    void aClosedStoreIsATransientFailureNotABrokenOne() {
        store.close();

        assertThatThrownBy(() -> store.documents().find(TENANT, "ev-1")).isInstanceOf(TransientStoreException.class);
        assertThat(store.health()).startsWith("unavailable");
    }

    @Test
    void statisticsCountByStatusAndListTheLatestChangesFirst() {
        store.documents().createIfAbsent(alert("ev-a"));
        store.documents().createIfAbsent(alert("ev-b"));
        store.documents().createIfAbsent(alert("ev-c"));
        store.documents().update(TENANT, "ev-a", d -> d.delivered(1, T0.plusSeconds(30)));
        store.documents().update(TENANT, "ev-b", d -> d.delivered(1, T0.plusSeconds(20)));

        assertThat(store.countsByStatus()).containsEntry("delivered", 2L).containsEntry("received", 1L).hasSize(2);
        assertThat(store.recentlyUpdated(2)).extracting(StoredAlert::id).containsExactly("ev-a", "ev-b");
    }

    @Test
    void theCountsByStatusFollowEveryWriteAndAreCountedAgainFromTheTableOnReopen() {
        store.documents().createIfAbsent(alert("ev-a"));
        store.documents().createIfAbsent(alert("ev-b"));
        store.documents().createIfAbsent(alert("ev-a")); // exists: nothing new
        StoredAlert b = store.documents().find(TENANT, "ev-b").orElseThrow();
        store.documents().update(TENANT, "ev-a", d -> d.delivered(1, T0.plusSeconds(30)));
        // A replace from a stale copy fails and moves nothing.
        assertThat(store.documents().replaceIfUnchanged(b, b.delivered(1, T0))).isPresent();
        assertThat(store.documents().replaceIfUnchanged(b, b.delivered(2, T0))).isEmpty();
        Map<String, Long> counted = store.countsByStatus();

        store.close();
        store = H2Store.open(dir, 4);

        assertThat(counted).containsExactly(Map.entry("delivered", 2L));
        assertThat(store.countsByStatus()).isEqualTo(counted);
    }

    @Test
    void sqlFailuresMapToTheirKind() {
        assertThat(H2Errors.of("x", new SQLException("broken", "08006"))).isInstanceOf(TransientStoreException.class);
        assertThat(H2Errors.of("x", new SQLException("lock", "HYT00"))).isInstanceOf(TransientStoreException.class);
        // A constraint violation is the data's fault: retrying cannot cure it (it was "unavailable" before).
        assertThat(H2Errors.of("x", new SQLException("dup", "23505"))).isInstanceOf(PermanentStoreException.class);
        assertThat(H2Errors.of("x", new SQLException("syntax", "42000"))).isInstanceOf(PermanentStoreException.class);
    }


    private static StoredAlert alert(String id) {
        return new StoredAlert(id, TENANT, "io.alertrelay.alert.fired", "rule/instance-1", "Fired",
                DeliveryStatus.RECEIVED, 0, T0, T0, null, null, Json.readTree("{\"id\":\"" + id + "\"}"), null);
    }
}
