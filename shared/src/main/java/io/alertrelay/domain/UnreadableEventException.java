package io.alertrelay.domain;

/**
 * Bytes that should hold a platform event (a bus message, a stored document) do not: not JSON, not a CloudEvent,
 * or not one of ours. Retrying cannot help; the message says what is wrong without echoing the content.
 */
public class UnreadableEventException extends RuntimeException {

    public UnreadableEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
