package io.alertrelay.local.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The local store's tables, keyed by (tenant, id) like the Cosmos container's partition and id. {@link #create}
 * also upgrades a data directory from an earlier version.
 */
final class H2Schema {

    /** Every table, in the order a rebuild copies them. */
    static final List<String> TABLES = List.of("alerts", "instances", "payloads", "tenants");

    private H2Schema() {
    }

    static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS alerts ("
                    + "tenant VARCHAR(64) NOT NULL, id VARCHAR(256) NOT NULL, type VARCHAR(128), "
                    + "alert_key VARCHAR(256), condition VARCHAR(32), status VARCHAR(16) NOT NULL, "
                    + "attempts INT NOT NULL, created_at TIMESTAMP(9) WITH TIME ZONE, "
                    + "updated_at TIMESTAMP(9) WITH TIME ZONE, delivered_at TIMESTAMP(9) WITH TIME ZONE, "
                    + "last_error_status INT, last_error_message VARCHAR(4096), event CLOB, "
                    + "version BIGINT NOT NULL, PRIMARY KEY (tenant, id))");
            // Added with replay (a data directory from before gets them on its next start).
            s.execute("ALTER TABLE alerts ADD COLUMN IF NOT EXISTS event_time TIMESTAMP(9) WITH TIME ZONE");
            s.execute("ALTER TABLE alerts ADD COLUMN IF NOT EXISTS replays CLOB");
            // Added when a Fired's lease ended with its outcome (null while none ended, as on older rows).
            s.execute("ALTER TABLE alerts ADD COLUMN IF NOT EXISTS ended_leases CLOB");
            s.execute("CREATE INDEX IF NOT EXISTS alerts_by_status_time ON alerts (tenant, status, event_time)");
            s.execute("CREATE TABLE IF NOT EXISTS tenants (name VARCHAR(64) NOT NULL PRIMARY KEY)");
            s.execute("CREATE TABLE IF NOT EXISTS instances (tenant VARCHAR(64) NOT NULL, "
                    + "alert_key VARCHAR(256) NOT NULL, resolved_event_id VARCHAR(256), "
                    + "resolved_at TIMESTAMP(9) WITH TIME ZONE NOT NULL, PRIMARY KEY (tenant, alert_key))");
            // Fired leases live in memory now (H2AlertInstances); a data directory from before loses the table.
            s.execute("DROP TABLE IF EXISTS fired_delivery_leases");
            s.execute("CREATE TABLE IF NOT EXISTS payloads (tenant VARCHAR(64) NOT NULL, "
                    + "event_id VARCHAR(256) NOT NULL, payload BLOB NOT NULL, PRIMARY KEY (tenant, event_id))");
        }
    }
}
