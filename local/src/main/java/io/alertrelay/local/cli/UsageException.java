package io.alertrelay.local.cli;

/** The command line is wrong: the message says how, and the usage follows. */
public final class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }
}
