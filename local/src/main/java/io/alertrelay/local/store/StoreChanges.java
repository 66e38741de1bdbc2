package io.alertrelay.local.store;

import java.time.Instant;

/**
 * The local store's writes, each as the change it made: what {@link StoreJournal} records as a write commits and
 * what {@link H2JournalReplay} applies again at the next start. Each applies idempotently, so a change both in H2's
 * file and in the journal is applied twice to the same effect.
 */
interface StoreChanges {

    /** A row of {@code alerts} at its version: the row, unless the table holds that version or a later one. */
    void alert(AlertRow row);

    /** An instance resolved at {@code resolvedAt}: kept unless an equal or later resolve is recorded. */
    void resolved(String tenant, String alertKey, String resolvedEventId, Instant resolvedAt);

    /** A claim-checked payload (the same event's payload is always the same bytes). */
    void payload(String tenant, String eventId, byte[] payload);

    /** A tenant seen. */
    void tenant(String name);
}
