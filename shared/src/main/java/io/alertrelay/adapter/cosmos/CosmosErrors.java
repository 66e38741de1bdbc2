package io.alertrelay.adapter.cosmos;

import com.azure.cosmos.CosmosException;
import io.alertrelay.port.PermanentStoreException;
import io.alertrelay.port.StoreException;
import io.alertrelay.port.TransientStoreException;
import java.time.Duration;

/**
 * Cosmos DB's failures as the port's two kinds (see {@link StoreException}). Transient: no status (network), 408,
 * 410, 429 (with the service's x-ms-retry-after-ms), 449, 5xx, and timeouts; permanent: 400, 401, 403, 404 of the
 * database or container, 413, and anything else. Messages name the operation, the status and the container, never
 * a key.
 */
final class CosmosErrors {

    private CosmosErrors() {
    }

    static boolean isTransient(int status) {
        return status == 0 || status == 408 || status == 410 || status == 429 || status == 449 || status >= 500;
    }

    /** {@code e} (from the SDK or our own timeout) as the port's failure; {@code where} names operation and container. */
    static StoreException of(String where, Throwable e) {
        if (e instanceof StoreException se) {
            return se;
        }
        if (!(e instanceof CosmosException ce)) {
            return new TransientStoreException(where + ": " + e.getClass().getSimpleName(), e);
        }
        int status = ce.getStatusCode();
        String code = status + (ce.getSubStatusCode() != 0 ? "/" + ce.getSubStatusCode() : "");
        String kind = ce.getClass().getSimpleName();
        if (isTransient(status)) {
            Duration retryAfter = ce.getRetryAfterDuration();
            return new TransientStoreException(where + ": Cosmos DB answered " + code + " (" + kind + ")", ce,
                    retryAfter == null || retryAfter.isZero() ? null : retryAfter);
        }
        if (status == 404) {
            return new PermanentStoreException(where + ": Cosmos DB answered 404: the database or container does not "
                    + "exist (create it with partition key /tenant; the infrastructure template does)", ce);
        }
        return new PermanentStoreException(where + ": Cosmos DB refused it with " + code + " (" + kind + ")", ce);
    }
}
