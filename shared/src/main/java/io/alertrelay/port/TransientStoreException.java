package io.alertrelay.port;

import java.time.Duration;
import java.util.Optional;

/** A store failure that may pass on a retry (see {@link StoreException}). */
public final class TransientStoreException extends StoreException {

    private final Duration retryAfter;

    public TransientStoreException(String message, Throwable cause) {
        this(message, cause, null);
    }

    /** @param retryAfter how long the store asked callers to wait (Cosmos DB's x-ms-retry-after-ms), or null */
    public TransientStoreException(String message, Throwable cause, Duration retryAfter) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    @Override
    public String kind() {
        return "transient";
    }
}
