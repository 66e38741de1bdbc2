package io.alertrelay.domain;

/**
 * The body cannot be accepted as a notification: empty, not JSON, or not a JSON object. The message is safe to show
 * to the caller; for malformed JSON it names the line and column.
 */
public class InvalidNotificationException extends RuntimeException {

    private final Integer line;
    private final Integer column;

    public InvalidNotificationException(String message) {
        this(message, null, null, null);
    }

    public InvalidNotificationException(String message, Integer line, Integer column, Throwable cause) {
        super(message, cause);
        this.line = line;
        this.column = column;
    }

    /** 1-based line of a JSON syntax error, or null. */
    public Integer line() {
        return line;
    }

    /** 1-based column of a JSON syntax error, or null. */
    public Integer column() {
        return column;
    }
}
