package io.alertrelay.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.alertrelay.domain.InvalidNotificationException;
import io.alertrelay.domain.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Tolerant reads from an Azure notification. Azure's payloads vary between services and versions (numbers sent as
 * strings, {@code null} for "not applicable", empty strings), so every read here answers null instead of throwing:
 * a missing detail must never make us reject or drop a notification. The one exception is a number longer than
 * {@link Json#MAX_NUMBER_LENGTH} characters, refused whether it is spelled as a number or as a string.
 */
final class Fields {

    private Fields() {
    }

    /** The node at {@code path} below {@code node}; a MissingNode when any step is absent. */
    static JsonNode at(JsonNode node, String... path) {
        JsonNode current = node == null ? MissingNode.getInstance() : node;
        for (String step : path) {
            current = current.path(step);
        }
        return current;
    }

    /** True when {@code path} leads to an object. */
    static boolean isObject(JsonNode node, String... path) {
        return at(node, path).isObject();
    }

    /** The text at {@code path} (numbers and booleans as their JSON text); null when absent, null or blank. */
    static String text(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        if (!value.isValueNode() || value.isNull()) {
            return null;
        }
        String text = value.asText();
        return text.isBlank() ? null : text;
    }

    /**
     * The whole number in field {@code name} of {@code node}, written as a number or a string ({@code 2} or
     * {@code "2"}); null otherwise.
     *
     * @throws InvalidNotificationException when it is a string longer than {@link Json#MAX_NUMBER_LENGTH}: the
     *                                      same limit as for a JSON number, whichever way the number is spelled
     */
    static Integer integer(JsonNode node, String name) {
        BigDecimal number = decimal(at(node, name), name, false);
        try {
            return number == null ? null : number.intValueExact();
        } catch (ArithmeticException notAnInt) {
            return null;
        }
    }

    /**
     * An amount of money written as a number or a string; currency signs and thousands separators are ignored
     * ({@code "$1,111.11"} → 1111.11), because Cost Management formats amounts for people.
     */
    static Double amount(JsonNode node, String name) {
        BigDecimal number = decimal(at(node, name), name, true);
        if (number == null) {
            return null;
        }
        double amount = number.doubleValue();
        return Double.isFinite(amount) ? amount : null; // 1e400 is no amount of money
    }

    /** The strings of an array (blank and non-text entries skipped); empty when it is not an array. */
    static List<String> texts(JsonNode array) {
        List<String> result = new ArrayList<>();
        if (array != null && array.isArray()) {
            for (JsonNode item : array) {
                if (item.isTextual() && !item.textValue().isBlank()) {
                    result.add(item.textValue());
                }
            }
        }
        return result;
    }

    /** The first argument that is not null. */
    @SafeVarargs
    static <T> T firstOf(T... candidates) {
        for (T candidate : candidates) {
            if (candidate != null) {
                return candidate;
            }
        }
        return null;
    }

    /** Only digits, signs, points and exponents: what BigDecimal would spend its time on. */
    private static boolean looksNumeric(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == '+' || c == '-' || c == 'e' || c == 'E')) {
                return false;
            }
        }
        return true;
    }

    private static BigDecimal decimal(JsonNode value, String name, boolean moneyFormatted) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (value.isNumber()) {
            return value.decimalValue();
        }
        if (!value.isTextual()) {
            return null;
        }
        String text = value.textValue().trim();
        if (moneyFormatted) {
            text = text.replaceAll("[^0-9.+-]", "");
        }
        if (text.length() > Json.MAX_NUMBER_LENGTH && looksNumeric(text)) {
            // BigDecimal parses in time quadratic in the length: a 400,000-digit capacity took over 3 s
            throw new InvalidNotificationException(InvalidNotificationException.Kind.NUMBER_TOO_LONG,
                    "The field '" + name + "' holds a number of " + text.length() + " characters; at most "
                            + Json.MAX_NUMBER_LENGTH + " are accepted.", null, null, Json.MAX_NUMBER_LENGTH, name,
                    null);
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }
}
