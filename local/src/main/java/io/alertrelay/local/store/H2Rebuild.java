package io.alertrelay.local.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before a store opens after a run that ended without a close (it left a journal), copies the rows H2 committed into a
 * new database file and puts that file in place of the old one.
 *
 * <p>Why: H2 writes its file as a snapshot of each of its maps, not of all of them at one instant, so a process killed
 * while transactions were open can leave a row or an index entry of a transaction without the undo log that would
 * roll it back (the H2 maintainer's analysis: h2database/h2database#2080). Found here by halting a JVM writing from
 * eight threads: 3 of 40 halts of the store before its journal, and 5 of 60 with it, left a key no read or write
 * could reach again — a row locked by no transaction (a lock timeout), or an index entry without its row (a duplicate
 * key with nothing to read) — for good, the dequeuer's writes included (docs/local.md). A copy reads the committed
 * rows and writes them as new ones, with new indexes; the journal's replay then brings back what H2 had not yet
 * written. Killed during the copy, the old file and the journal are still there and the next start copies again.
 */
final class H2Rebuild {
    private static final Logger LOG = LoggerFactory.getLogger(H2Rebuild.class);
    private static final String REBUILT = H2Store.NAME + "-rebuilt";
    private static final int BATCH = 500;

    private H2Rebuild() {
    }

    static void committedRows(Path directory) {
        Path current = directory.resolve(H2Store.NAME + ".mv.db");
        if (!Files.isRegularFile(current)) {
            return; // killed before H2 wrote a file: the journal holds everything
        }
        Path rebuilt = directory.resolve(REBUILT + ".mv.db");
        // Said before it starts: about 0.2 ms a document, so a large store takes tens of seconds before /api/health.
        LOG.info("The previous run ended without closing the store: copying its committed rows into a new file");
        long started = System.nanoTime();
        int rows = 0;
        try {
            Files.deleteIfExists(rebuilt); // a copy a kill interrupted
            try (Connection from = DriverManager.getConnection(H2Store.url(directory, H2Store.NAME), H2Store.USER, "");
                 Connection to = DriverManager.getConnection(H2Store.url(directory, REBUILT), H2Store.USER, "")) {
                H2Schema.create(from); // an older directory gains its columns first: the copy reads them by name
                H2Schema.create(to);
                try (Statement s = from.createStatement()) {
                    s.execute("SET LAZY_QUERY_EXECUTION TRUE"); // rows stream rather than gather in memory
                }
                to.setAutoCommit(false);
                for (String table : H2Schema.TABLES) {
                    rows += copy(from, to, table);
                }
                to.commit();
            }
            Files.move(rebuilt, current, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (SQLException e) {
            throw H2Errors.of("copy the local store's committed rows after a kill", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not put the rebuilt store in place in " + directory, e);
        }
        LOG.info("Copied the store's {} committed rows into a new file in {} ms", rows,
                (System.nanoTime() - started) / 1_000_000);
    }

    private static int copy(Connection from, Connection to, String table) throws SQLException {
        try (Statement s = from.createStatement(); ResultSet r = s.executeQuery("SELECT * FROM " + table)) {
            ResultSetMetaData meta = r.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnName(i));
            }
            String insert = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                    + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
            int rows = 0;
            try (PreparedStatement p = to.prepareStatement(insert)) {
                while (r.next()) {
                    for (int i = 1; i <= columns.size(); i++) {
                        p.setObject(i, r.getObject(i));
                    }
                    p.addBatch();
                    if (++rows % BATCH == 0) {
                        p.executeBatch();
                        to.commit();
                    }
                }
                p.executeBatch();
            }
            return rows;
        }
    }
}
