package io.alertrelay.port;

import io.alertrelay.domain.StoredAlert;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * "Read, apply, write if unchanged, retry on conflict", written once over {@link EventDocuments#replaceIfUnchanged}:
 * every store gets the same loop. The change may run more than once (once per lost race) and must keep id and
 * tenant. Between lost races it pauses briefly at random, growing with each loss, so writers of one document do not
 * collide in step.
 */
public final class ConditionalUpdate {

    /** How often the change is re-applied after losing a race before the update gives up (transiently). */
    static final int MAX_ATTEMPTS = 10;

    private ConditionalUpdate() {
    }

    static StoredAlert apply(EventDocuments documents, String tenant, String id, UnaryOperator<StoredAlert> change) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            StoredAlert current = documents.find(tenant, id)
                    .orElseThrow(() -> new IllegalStateException("no event document " + id + " in tenant " + tenant));
            StoredAlert next = change.apply(current);
            if (next == current) {
                return current;
            }
            keepsIdentity(tenant, id, next);
            Optional<StoredAlert> written = documents.replaceIfUnchanged(current, next);
            if (written.isPresent()) {
                return written.get();
            }
            pause(attempt);
        }
        throw new TransientStoreException("update event " + id + ": it changed under us " + MAX_ATTEMPTS
                + " times in a row", null);
    }

    /**
     * Applies {@code change} to {@code known} and writes it if the stored document still has {@code known}'s ETag; on
     * a conflict (or no ETag, or nothing to do on a copy that may be old) falls back to the read-apply-write loop.
     */
    static StoredAlert apply(EventDocuments documents, StoredAlert known, UnaryOperator<StoredAlert> change) {
        if (known.etag() != null) {
            StoredAlert next = change.apply(known);
            if (next != known) {
                keepsIdentity(known.tenant(), known.id(), next);
                Optional<StoredAlert> written = documents.replaceIfUnchanged(known, next);
                if (written.isPresent()) {
                    return written.get();
                }
            }
        }
        return apply(documents, known.tenant(), known.id(), change);
    }

    private static void keepsIdentity(String tenant, String id, StoredAlert next) {
        if (!next.id().equals(id) || !next.tenant().equals(tenant)) {
            throw new IllegalArgumentException("an update must keep the document's id and tenant (" + id + ")");
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(1 + 2 * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientStoreException("interrupted while retrying an update", e);
        }
    }
}
