package io.alertrelay.local.store;

import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies the changes of a {@link StoreJournal} to H2 at a start, each with the statement its write used. */
final class H2JournalReplay implements StoreChanges {
    private static final Logger LOG = LoggerFactory.getLogger(H2JournalReplay.class);

    private final H2Store db;

    H2JournalReplay(H2Store db) {
        this.db = db;
    }

    /** {@inheritDoc} A status change's record has no event: it needs the row its create left (earlier in order). */
    @Override
    public void alert(AlertRow row) {
        db.run("replay the write of event " + row.id(), c -> {
            if (H2EventDocuments.update(c, row, "version < ?", row.version())) {
                return null;
            }
            if (H2EventDocuments.select(c, row.tenant(), row.id()).isPresent()) {
                return null; // the table holds this version or a later one
            }
            if (row.withEvent()) {
                H2EventDocuments.insert(c, row);
            } else {
                LOG.warn("The store's journal updates event {} of tenant {}, which it never created; skipped",
                        row.id(), row.tenant());
            }
            return null;
        });
    }

    @Override
    public void resolved(String tenant, String alertKey, String resolvedEventId, Instant resolvedAt) {
        db.run("replay a resolve", c -> H2AlertInstances.writeResolved(c, tenant, alertKey, resolvedEventId,
                resolvedAt));
    }

    @Override
    public void payload(String tenant, String eventId, byte[] payload) {
        db.run("replay the payload of " + eventId, c -> {
            H2Payloads.merge(c, tenant, eventId, payload);
            return null;
        });
    }

    @Override
    public void tenant(String name) {
        db.run("replay tenant " + name, c -> {
            H2TenantRegistry.merge(c, name);
            return null;
        });
    }
}
