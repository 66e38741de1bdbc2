package io.alertrelay.domain;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Locale;

/**
 * Turns the bytes of a webhook request into a JSON object, or says clearly why it cannot (DESIGN §5: the caller gets
 * a 400 naming the problem). Messages are written for the person who configured the webhook: they name the line
 * and column of a syntax error and never contain anything but their own input.
 */
public final class NotificationBody {

    /** Reads one value and leaves the parser after it, so trailing content is reported by us, in our words. */
    private static final ObjectReader SINGLE_VALUE = Json.MAPPER.reader()
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

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
        try (JsonParser parser = Json.MAPPER.createParser(body)) {
            JsonNode value = SINGLE_VALUE.readTree(parser);
            if (parser.nextToken() != null) {
                throw syntaxError("unexpected content after the JSON value", parser.currentTokenLocation(), null);
            }
            return value;
        } catch (JsonProcessingException e) {
            throw syntaxError(detail(e), e.getLocation(), e);
        } catch (IOException e) {
            // reading a byte array does no I/O; keep the cause for the log all the same
            throw new InvalidNotificationException("The request body could not be read as JSON.", null, null, e);
        }
    }

    private static InvalidNotificationException syntaxError(String detail, JsonLocation location, Throwable cause) {
        Integer line = location == null || location.getLineNr() < 1 ? null : location.getLineNr();
        Integer column = location == null || location.getColumnNr() < 1 ? null : location.getColumnNr();
        String where = line == null ? "" : " (line " + line + ", column " + column + ")";
        return new InvalidNotificationException(
                "The request body is not valid JSON" + where + ": " + detail + ".", line, column, cause);
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
}
