package io.alertrelay.local.store;

import io.alertrelay.port.TenantRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** {@link TenantRegistry} in H2: one row per tenant, merged (and journaled) once per process. */
final class H2TenantRegistry implements TenantRegistry {

    private final H2Store db;
    private final Set<String> written = ConcurrentHashMap.newKeySet();

    H2TenantRegistry(H2Store db) {
        this.db = db;
    }

    @Override
    public void register(String tenant) {
        if (written.contains(tenant)) {
            return;
        }
        db.write("register tenant " + tenant, (c, journal) -> {
            merge(c, tenant);
            journal.tenant(tenant);
            return null;
        });
        written.add(tenant);
    }

    static void merge(Connection c, String tenant) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("MERGE INTO tenants (name) KEY (name) VALUES (?)")) {
            s.setString(1, tenant);
            s.executeUpdate();
        }
    }

    @Override
    public List<String> tenants() {
        return db.run("list tenants", c -> {
            List<String> names = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT name FROM tenants ORDER BY name");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    names.add(r.getString(1));
                }
            }
            return names;
        });
    }
}
