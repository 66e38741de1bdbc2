package io.alertrelay.local.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.port.AlertStore;
import io.alertrelay.port.DeliveryStatus;
import io.alertrelay.port.StoreUnavailableException;
import io.alertrelay.port.StoredAlert;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The {@link AlertStore} of the local runtime: H2 2.x in file mode, so the documents survive a restart. One table per
 * kind of document (alerts, instance state, claim-check payloads), each keyed by (tenant, id) like the Cosmos
 * container's partition and id. The ETag is a version column: {@link #update} writes only where the version is the
 * one it read, and on a conflict reads again and re-applies the change, as {@code CosmosAlertStore} does with
 * {@code If-Match}.
 *
 * <p>Not emulated: TTL ({@code STORE_TTL_DAYS} is ignored locally; documents stay until the data directory is
 * removed). Every SQL failure is a {@link StoreUnavailableException}: the dequeuer then abandons the message and the
 * broker redelivers it.
 */
public final class H2AlertStore implements AlertStore, StoreStatistics, AutoCloseable {

    /** How often {@link #update} re-reads and re-applies its change after losing a race before giving up. */
    static final int MAX_UPDATE_ATTEMPTS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DUPLICATE_KEY = "23505";

    private final JdbcConnectionPool pool;
    private final Path directory;
    private volatile boolean closed;

    private H2AlertStore(JdbcConnectionPool pool, Path directory) {
        this.pool = pool;
        this.directory = directory;
    }

    /**
     * Opens (or creates) the store in {@code directory}. The database closes only with {@link #close()}, not with
     * the JVM's own shutdown hook, so messages still being delivered during a graceful stop can write their outcome.
     */
    public static H2AlertStore open(Path directory, int maxConnections) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the store directory " + directory, e);
        }
        // A query cache per connection large enough for every statement here: H2 parses SQL again on a miss.
        String url = "jdbc:h2:file:" + directory.toAbsolutePath().resolve("alertrelay")
                + ";DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=32";
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "alertrelay", "");
        pool.setMaxConnections(maxConnections);
        H2AlertStore store = new H2AlertStore(pool, directory);
        try {
            store.createTables();
        } catch (RuntimeException e) {
            pool.dispose();
            throw e;
        }
        return store;
    }

    private void createTables() {
        run("create tables", c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS alerts ("
                        + "tenant VARCHAR(64) NOT NULL, id VARCHAR(256) NOT NULL, type VARCHAR(128), "
                        + "alert_key VARCHAR(256), condition VARCHAR(32), status VARCHAR(16) NOT NULL, "
                        + "attempts INT NOT NULL, created_at TIMESTAMP(9) WITH TIME ZONE, "
                        + "updated_at TIMESTAMP(9) WITH TIME ZONE, delivered_at TIMESTAMP(9) WITH TIME ZONE, "
                        + "last_error_status INT, last_error_message VARCHAR(4096), event CLOB, "
                        + "version BIGINT NOT NULL, PRIMARY KEY (tenant, id))");
                s.execute("CREATE TABLE IF NOT EXISTS instances (tenant VARCHAR(64) NOT NULL, "
                        + "alert_key VARCHAR(256) NOT NULL, resolved_event_id VARCHAR(256), "
                        + "resolved_at TIMESTAMP(9) WITH TIME ZONE NOT NULL, PRIMARY KEY (tenant, alert_key))");
                s.execute("CREATE TABLE IF NOT EXISTS payloads (tenant VARCHAR(64) NOT NULL, "
                        + "event_id VARCHAR(256) NOT NULL, payload BLOB NOT NULL, PRIMARY KEY (tenant, event_id))");
            }
            return null;
        });
    }

    @Override
    public StoredAlert createIfAbsent(StoredAlert doc) {
        Objects.requireNonNull(doc, "doc");
        return run("create alert " + doc.id(), c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO alerts (tenant, id, type, alert_key, "
                    + "condition, status, attempts, created_at, updated_at, delivered_at, last_error_status, "
                    + "last_error_message, event, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)")) {
                s.setString(1, doc.tenant());
                s.setString(2, doc.id());
                bindContent(s, 3, doc, true);
                s.executeUpdate();
                return doc.withEtag("1");
            } catch (SQLException e) {
                if (!DUPLICATE_KEY.equals(e.getSQLState())) {
                    throw e;
                }
                // It exists: return what is stored, as Cosmos answers 409 and the adapter reads it.
                return select(c, doc.tenant(), doc.id()).orElseThrow(() -> e);
            }
        });
    }

    @Override
    public Optional<StoredAlert> find(String tenant, String id) {
        return run("read alert " + id, c -> select(c, tenant, id));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The change may run more than once (once per lost race, at most {@value #MAX_UPDATE_ATTEMPTS} times) and must
     * keep id and tenant. A document that does not exist is an {@link IllegalStateException}; losing every race is a
     * {@link StoreUnavailableException}.
     */
    @Override
    public StoredAlert update(String tenant, String id, UnaryOperator<StoredAlert> change) {
        String what = "update alert " + id;
        for (int attempt = 1; attempt <= MAX_UPDATE_ATTEMPTS; attempt++) {
            StoredAlert current = find(tenant, id)
                    .orElseThrow(() -> new IllegalStateException("no alert document " + id + " in tenant " + tenant));
            StoredAlert next = change.apply(current);
            if (next == current) {
                return current;
            }
            if (!next.id().equals(id) || !next.tenant().equals(tenant)) {
                throw new IllegalArgumentException("an update must keep the document's id and tenant (" + id + ")");
            }
            long version = Long.parseLong(current.etag());
            // Status changes keep the event (often kilobytes): rewrite it only when the change replaced it.
            boolean eventChanged = next.event() != current.event();
            Optional<StoredAlert> written = run(what, c -> {
                try (PreparedStatement s = c.prepareStatement("UPDATE alerts SET type = ?, alert_key = ?, "
                        + "condition = ?, status = ?, attempts = ?, created_at = ?, updated_at = ?, delivered_at = ?, "
                        + "last_error_status = ?, last_error_message = ?, "
                        + (eventChanged ? "event = ?, " : "") + "version = ? "
                        + "WHERE tenant = ? AND id = ? AND version = ?")) {
                    int i = bindContent(s, 1, next, eventChanged);
                    s.setLong(i, version + 1);
                    s.setString(i + 1, tenant);
                    s.setString(i + 2, id);
                    s.setLong(i + 3, version);
                    // No row: someone wrote since we read (or it vanished). Read again and re-apply the change.
                    return s.executeUpdate() == 1 ? Optional.of(next.withEtag(Long.toString(version + 1)))
                            : Optional.<StoredAlert>empty();
                }
            });
            if (written.isPresent()) {
                return written.get();
            }
            backOffAfterConflict(attempt);
        }
        throw new StoreUnavailableException(what + ": it changed under us " + MAX_UPDATE_ATTEMPTS
                + " times in a row", null);
    }

    /** A short random pause, growing with each lost race, so writers of one document do not collide in step. */
    private static void backOffAfterConflict(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(1 + 2 * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while retrying an update", e);
        }
    }

    @Override
    public void markInstanceResolved(String tenant, String alertKey, String resolvedEventId, Instant resolvedAt) {
        run("mark instance resolved", c -> {
            try (PreparedStatement s = c.prepareStatement("MERGE INTO instances (tenant, alert_key, "
                    + "resolved_event_id, resolved_at) KEY (tenant, alert_key) VALUES (?, ?, ?, ?)")) {
                s.setString(1, tenant);
                s.setString(2, alertKey);
                s.setString(3, resolvedEventId);
                s.setObject(4, time(resolvedAt));
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<Instant> instanceResolvedAt(String tenant, String alertKey) {
        return run("read instance state", c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT resolved_at FROM instances WHERE tenant = ? AND alert_key = ?")) {
                s.setString(1, tenant);
                s.setString(2, alertKey);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(instant(r, 1)) : Optional.<Instant>empty();
                }
            }
        });
    }

    /** {@inheritDoc} Storing the same event's payload again replaces it with the same bytes. */
    @Override
    public void putPayload(String tenant, String eventId, byte[] payload) {
        run("store payload of " + eventId, c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "MERGE INTO payloads (tenant, event_id, payload) KEY (tenant, event_id) VALUES (?, ?, ?)")) {
                s.setString(1, tenant);
                s.setString(2, eventId);
                s.setBytes(3, payload);
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<byte[]> getPayload(String tenant, String eventId) {
        return run("read payload of " + eventId, c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT payload FROM payloads WHERE tenant = ? AND event_id = ?")) {
                s.setString(1, tenant);
                s.setString(2, eventId);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(r.getBytes(1)) : Optional.<byte[]>empty();
                }
            }
        });
    }

    @Override
    public String health() {
        try {
            run("probe", c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT 1");
                }
                return null;
            });
            return "ok";
        } catch (StoreUnavailableException e) {
            return "unavailable (" + (closed ? "closed" : "SQL error") + ")";
        }
    }

    @Override
    public Map<String, Long> countsByStatus() {
        return run("count by status", c -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT status, COUNT(*) FROM alerts GROUP BY status ORDER BY status")) {
                while (r.next()) {
                    counts.put(r.getString(1), r.getLong(2));
                }
            }
            return counts;
        });
    }

    @Override
    public List<StoredAlert> recentlyUpdated(int limit) {
        return run("list recent alerts", c -> {
            List<StoredAlert> alerts = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT * FROM alerts ORDER BY updated_at DESC, id LIMIT ?")) {
                s.setInt(1, limit);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        alerts.add(read(r));
                    }
                }
            }
            return alerts;
        });
    }

    public Path directory() {
        return directory;
    }

    /** Closes the database (its files are then consistent and free for the next run); later calls fail. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException e) {
            // already closed, or never opened: nothing to flush
        } finally {
            pool.dispose();
        }
    }

    @Override
    public String toString() {
        return "H2AlertStore{" + directory + "}";
    }

    private static Optional<StoredAlert> select(Connection c, String tenant, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT * FROM alerts WHERE tenant = ? AND id = ?")) {
            s.setString(1, tenant);
            s.setString(2, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(read(r)) : Optional.empty();
            }
        }
    }

    /** Binds the content columns, type to last error (and event if asked), from {@code first}; returns the next index. */
    private static int bindContent(PreparedStatement s, int first, StoredAlert a, boolean withEvent)
            throws SQLException {
        s.setString(first, a.type());
        s.setString(first + 1, a.alertKey());
        s.setString(first + 2, a.condition());
        s.setString(first + 3, a.status().value());
        s.setInt(first + 4, a.attempts());
        s.setObject(first + 5, time(a.createdAt()));
        s.setObject(first + 6, time(a.updatedAt()));
        s.setObject(first + 7, time(a.deliveredAt()));
        if (a.lastError() == null || a.lastError().status() == null) {
            s.setNull(first + 8, Types.INTEGER);
        } else {
            s.setInt(first + 8, a.lastError().status());
        }
        s.setString(first + 9, a.lastError() == null ? null : a.lastError().message());
        if (!withEvent) {
            return first + 10;
        }
        s.setString(first + 10, a.event() == null ? null : a.event().toString());
        return first + 11;
    }

    private static StoredAlert read(ResultSet r) throws SQLException {
        int errorStatus = r.getInt("last_error_status");
        boolean hasStatus = !r.wasNull();
        String errorMessage = r.getString("last_error_message");
        StoredAlert.LastError lastError = hasStatus || errorMessage != null
                ? new StoredAlert.LastError(hasStatus ? errorStatus : null, errorMessage) : null;
        return new StoredAlert(r.getString("id"), r.getString("tenant"), r.getString("type"),
                r.getString("alert_key"), r.getString("condition"), DeliveryStatus.fromValue(r.getString("status")),
                r.getInt("attempts"), instant(r, "created_at"), instant(r, "updated_at"), instant(r, "delivered_at"),
                lastError, json(r.getString("event")), Long.toString(r.getLong("version")));
    }

    private static JsonNode json(String text) {
        if (text == null) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("a stored event is not JSON", e);
        }
    }

    private static OffsetDateTime time(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet r, String column) throws SQLException {
        OffsetDateTime t = r.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Instant instant(ResultSet r, int column) throws SQLException {
        OffsetDateTime t = r.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private <T> T run(String what, SqlWork<T> work) {
        if (closed) {
            throw new StoreUnavailableException(what + ": the local store is closed", null);
        }
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreUnavailableException(what + " in the local store: SQL state " + e.getSQLState(), e);
        }
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }
}
