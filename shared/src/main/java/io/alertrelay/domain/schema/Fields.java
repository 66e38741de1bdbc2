package io.alertrelay.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Tolerant reads from an Azure notification. Azure's payloads vary between services and versions (numbers sent as
 * strings, {@code null} for "not applicable", empty strings), so every read here answers null instead of throwing:
 * a missing detail must never make us reject or drop a notification.
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

    /** A whole number written as a number or a string ({@code 2} or {@code "2"}); null otherwise. */
    static Integer integer(JsonNode value) {
        BigDecimal number = decimal(value, false);
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
    static Double amount(JsonNode value) {
        BigDecimal number = decimal(value, true);
        return number == null ? null : number.doubleValue();
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

    private static BigDecimal decimal(JsonNode value, boolean moneyFormatted) {
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
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }
}
