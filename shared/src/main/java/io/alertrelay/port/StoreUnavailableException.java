package io.alertrelay.port;

/** The store could not be reached or refused the request for a reason that may pass (throttling, timeout). */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
