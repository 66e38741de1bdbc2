package io.alertrelay.port;

/**
 * A store call that failed, of one of two kinds, which every store adapter maps its failures to the same way:
 * <ul>
 *   <li>{@link TransientStoreException}: may pass on a retry — timeouts, throttling (429), unavailable (503, 5xx),
 *       connection failures;</li>
 *   <li>{@link PermanentStoreException}: will fail again until someone changes something — refused (400, 401,
 *       403), the database or container missing (404), a constraint the data breaks.</li>
 * </ul>
 * The use cases decide by kind and log every kind. Messages never hold a key or a connection string.
 */
public abstract sealed class StoreException extends RuntimeException
        permits TransientStoreException, PermanentStoreException {

    protected StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** "transient" or "permanent", for logs. */
    public abstract String kind();
}
