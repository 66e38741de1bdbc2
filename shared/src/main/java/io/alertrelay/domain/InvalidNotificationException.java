package io.alertrelay.domain;

/**
 * The body cannot be accepted as a notification: empty, not JSON, not a JSON object, or beyond a limit (nested too
 * deeply, a number too long or out of range). The message is safe to show to the caller; it names the line and column when the
 * problem has a place in the body, and the field when it is one field's.
 */
public class InvalidNotificationException extends RuntimeException {

    /** What kind of problem it is, so the caller can name it (the webhook's problem type). */
    public enum Kind {
        /** Empty, not JSON, or not a JSON object. */
        MALFORMED,
        /** Objects and arrays nested beyond {@link Json#MAX_NOTIFICATION_DEPTH}. */
        NESTING_TOO_DEEP,
        /** A number longer than {@link Json#MAX_NUMBER_LENGTH} characters. */
        NUMBER_TOO_LONG,
        /** A number whose exponent no decimal can hold ({@code 1e9999999999}). */
        NUMBER_OUT_OF_RANGE
    }

    private final Kind kind;
    private final Integer line;
    private final Integer column;
    private final Integer limit;
    private final String field;

    public InvalidNotificationException(String message) {
        this(message, null, null, null);
    }

    public InvalidNotificationException(String message, Integer line, Integer column, Throwable cause) {
        this(Kind.MALFORMED, message, line, column, null, null, cause);
    }

    public InvalidNotificationException(Kind kind, String message, Integer line, Integer column, Integer limit,
                                        String field, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.line = line;
        this.column = column;
        this.limit = limit;
        this.field = field;
    }

    public Kind kind() {
        return kind;
    }

    /** 1-based line of a JSON syntax error or of a limit's excess, or null. */
    public Integer line() {
        return line;
    }

    /** 1-based column of a JSON syntax error or of a limit's excess, or null. */
    public Integer column() {
        return column;
    }

    /** The limit exceeded (levels, characters), or null. */
    public Integer limit() {
        return limit;
    }

    /** The name of the field at fault, or null. */
    public String field() {
        return field;
    }
}
