package io.alertrelay.port;

/** The bus did not acknowledge a message: it may or may not have been stored, so the sender should retry. */
public class PublishFailedException extends RuntimeException {

    public PublishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
