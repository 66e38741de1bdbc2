package io.alertrelay.local.store;

import io.alertrelay.port.PermanentStoreException;
import io.alertrelay.port.StoreException;
import io.alertrelay.port.TransientStoreException;
import java.sql.SQLException;

/**
 * SQL failures as the port's two kinds, by SQLSTATE class: connection problems (08), lock timeouts and
 * serialization failures (HYT00, 40001) and an exhausted pool may pass on a retry; anything else — a constraint the
 * data breaks (23), bad data (22), a statement H2 refuses (42) — will fail again.
 */
final class H2Errors {

    private H2Errors() {
    }

    static StoreException of(String where, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = where + ": SQL state " + state;
        if (state.startsWith("08") || state.equals("HYT00") || state.equals("40001") || state.isEmpty()) {
            return new TransientStoreException(message, e);
        }
        return new PermanentStoreException(message, e);
    }
}
