package io.alertrelay.domain;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.domain.InvalidNotificationException.Kind;
import java.io.IOException;
import java.util.Locale;

/**
 * Turns the bytes of a webhook request into a JSON object, or says clearly why it cannot (DESIGN §5: the caller gets
 * a 400 naming the problem). Messages are written for the person who configured the webhook: they name the line
 * and column of a syntax error and never contain anything but their own input.
 *
 * <p>The body is read within {@link Json#NOTIFICATIONS}' limits: at most {@value Json#MAX_NOTIFICATION_DEPTH} levels
 * of nesting and numbers of at most {@value Json#MAX_NUMBER_LENGTH} characters, so whatever is accepted can be
 * written again inside its event, and no number costs seconds to parse.
 */
public final class NotificationBody {

    private NotificationBody() {
    }

    public static ObjectNode parse(byte[] body) {
        JsonNode value = body == null ? null : readSingleValue(body);
        if (value == null || value.isMissingNode()) {
            // no bytes, or only whitespace
            throw new InvalidNotificationException("The request body is empty; expected a JSON object.");
        }
        if (!value.isObject()) {
            throw new InvalidNotificationException(
                    "The request body must be a JSON object, but it is " + describe(value) + ".");
        }
        return (ObjectNode) value;
    }

    /** Reads exactly one JSON value: anything after it (a second object, stray text) is an error too. */
    private static JsonNode readSingleValue(byte[] body) {
        JsonParser parser = null;
        try {
            parser = Json.NOTIFICATIONS.createParser(body);
            JsonNode value = Json.SINGLE_VALUE.readTree(parser);
            if (parser.nextToken() != null) {
                throw syntaxError("unexpected content after the JSON value", parser.currentTokenLocation(), null);
            }
            return value;
        } catch (InvalidNotificationException e) {
            throw e;
        } catch (JsonProcessingException e) {
            StreamConstraintsException limit = limitOf(e);
            if (limit != null) {
                throw limitExceeded(limit, parser == null ? null : parser.currentLocation());
            }
            throw syntaxError(detail(e), e.getLocation(), e);
        } catch (NumberFormatException e) {
            // a decimal whose exponent overflows (1e9999999999): Jackson cannot make a BigDecimal of it
            throw outOfRange(parser == null ? null : parser.currentLocation(), e);
        } catch (IOException | RuntimeException e) {
            // reading a byte array does no I/O, and the parser throws nothing else on any input we know of; should
            // it, the same bytes would fail the same way on every retry: a 400, never a 503 for ever
            throw new InvalidNotificationException("The request body could not be read as JSON.", null, null, e);
        } finally {
            close(parser);
        }
    }

    private static InvalidNotificationException outOfRange(JsonLocation location, NumberFormatException cause) {
        Integer line = lineOf(location);
        Integer column = columnOf(location);
        return new InvalidNotificationException(Kind.NUMBER_OUT_OF_RANGE, "The request body holds a number whose"
                + " exponent is out of range" + where(line, column) + "; exponents must lie within ±"
                + Integer.MAX_VALUE + ".", line, column, null, null, cause);
    }

    private static StreamConstraintsException limitOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StreamConstraintsException limit) {
                return limit;
            }
        }
        return null;
    }

    /** A read limit, in our words: Jackson's names its own settings, which mean nothing to the caller. */
    private static InvalidNotificationException limitExceeded(StreamConstraintsException e, JsonLocation location) {
        Integer line = lineOf(location);
        Integer column = columnOf(location);
        String where = where(line, column);
        String jackson = String.valueOf(e.getOriginalMessage());
        if (jackson.startsWith("Document nesting depth")) {
            return new InvalidNotificationException(Kind.NESTING_TOO_DEEP, "The request body nests objects and arrays"
                    + " more than " + Json.MAX_NOTIFICATION_DEPTH + " levels deep" + where + "; at most "
                    + Json.MAX_NOTIFICATION_DEPTH + " levels are accepted.", line, column,
                    Json.MAX_NOTIFICATION_DEPTH, null, e);
        }
        if (jackson.startsWith("Number value length")) {
            return new InvalidNotificationException(Kind.NUMBER_TOO_LONG, "The request body holds a number longer than "
                    + Json.MAX_NUMBER_LENGTH + " characters" + where + "; at most " + Json.MAX_NUMBER_LENGTH
                    + " are accepted.", line, column, Json.MAX_NUMBER_LENGTH, null, e);
        }
        String what = jackson.startsWith("Name length") ? "a field name"
                : jackson.startsWith("String value length") ? "a string" : "content";
        return new InvalidNotificationException(Kind.MALFORMED, "The request body holds " + what
                + " beyond what is accepted" + where + ".", line, column, null, null, e);
    }

    private static InvalidNotificationException syntaxError(String detail, JsonLocation location, Throwable cause) {
        Integer line = lineOf(location);
        Integer column = columnOf(location);
        return new InvalidNotificationException(
                "The request body is not valid JSON" + where(line, column) + ": " + detail + ".", line, column, cause);
    }

    private static Integer lineOf(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? null : location.getLineNr();
    }

    private static Integer columnOf(JsonLocation location) {
        return location == null || location.getLineNr() < 1 || location.getColumnNr() < 1
                ? null : location.getColumnNr();
    }

    private static String where(Integer line, Integer column) {
        return line == null ? "" : " (line " + line + ", column " + column + ")";
    }

    /**
     * Jackson's own description of the error ("Unexpected character ('.' (code 46)): was expecting double-quote to
     * start field name"), without the source reference it may append, which names Jackson internals.
     */
    private static String detail(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "malformed JSON" : e.getOriginalMessage();
        int reference = message.indexOf(" (start marker at [Source");
        if (reference < 0) {
            reference = message.indexOf("\n at [Source");
        }
        String detail = (reference < 0 ? message : message.substring(0, reference)).strip();
        return detail.endsWith(".") ? detail.substring(0, detail.length() - 1) : detail;
    }

    private static String describe(JsonNode value) {
        if (value.isNull()) {
            return "null";
        }
        return "a JSON " + value.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static void close(JsonParser parser) {
        if (parser != null) {
            try {
                parser.close();
            } catch (IOException ignored) {
                // a parser over a byte array holds nothing to release
            }
        }
    }
}
