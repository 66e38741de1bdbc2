package io.alertrelay.local.cli;

/** The pipeline refused what the command sent (a 400 naming the field): a usage error, reported in one line. */
final class RejectedRequestException extends RuntimeException {

    RejectedRequestException(String message) {
        super(message);
    }
}
