package io.alertrelay.port;

import io.alertrelay.domain.StoredAlert;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The stored document of each event (DESIGN §7): one per event id in the tenant's partition, changed under
 * optimistic concurrency. Failures are {@link StoreException}s.
 */
public interface EventDocuments {

    /** Stores {@code doc} unless a document with its id exists; returns what is stored now, with its ETag. */
    StoredAlert createIfAbsent(StoredAlert doc);

    Optional<StoredAlert> find(String tenant, String id);

    /**
     * The compare-and-set that {@link #update} is built on: writes {@code next} in place of {@code current} only if
     * the stored document still has {@code current}'s ETag.
     *
     * @return {@code next} with its new ETag, or empty when someone wrote in between
     * @throws IllegalStateException when the document does not exist (any more)
     */
    Optional<StoredAlert> replaceIfUnchanged(StoredAlert current, StoredAlert next);

    /**
     * Reads the document, applies {@code change}, writes the result if nobody wrote in between, and on a conflict
     * reads again and re-applies {@code change} (see {@link ConditionalUpdate}). {@code change} returning its
     * argument means "nothing to do" and writes nothing.
     */
    default StoredAlert update(String tenant, String id, UnaryOperator<StoredAlert> change) {
        return ConditionalUpdate.apply(this, tenant, id, change);
    }

    /**
     * As {@link #update(String, String, UnaryOperator)}, starting from {@code known} — a copy with its ETag, such as
     * {@link #createIfAbsent} returned — instead of a read: when nobody wrote since, the update is one write. On a
     * conflict, or when {@code change} finds nothing to do on that copy, it reads and goes on as the other does.
     */
    default StoredAlert update(StoredAlert known, UnaryOperator<StoredAlert> change) {
        return ConditionalUpdate.apply(this, known, change);
    }
}
