package io.alertrelay.port;

/** A store failure that a retry will not cure (see {@link StoreException}). */
public final class PermanentStoreException extends StoreException {

    public PermanentStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String kind() {
        return "permanent";
    }
}
