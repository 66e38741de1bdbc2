package io.alertrelay.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Map;

/**
 * Turns whatever severity a source spelled into {@code Sev0}..{@code Sev4}, or null (DESIGN §3).
 *
 * <table>
 *   <caption>Mapping</caption>
 *   <tr><th>source</th><th>result</th></tr>
 *   <tr><td>{@code Sev0}..{@code Sev4} (any case, spaces ignored)</td><td>same</td></tr>
 *   <tr><td>{@code 0}..{@code 4} as number or string (legacy metric and log alerts)</td><td>{@code Sev0}..{@code Sev4}</td></tr>
 *   <tr><td>{@code Critical}</td><td>{@code Sev0}</td></tr>
 *   <tr><td>{@code Error}</td><td>{@code Sev1}</td></tr>
 *   <tr><td>{@code Warning}</td><td>{@code Sev2}</td></tr>
 *   <tr><td>{@code Informational}, {@code Information}, {@code Info}</td><td>{@code Sev3}</td></tr>
 *   <tr><td>{@code Verbose}</td><td>{@code Sev4}</td></tr>
 *   <tr><td>anything else, missing, null</td><td>null</td></tr>
 * </table>
 *
 * The names are the activity-log event levels; Azure Monitor's own table puts Critical/Error/Warning/Informational/
 * Verbose in that order, which is the order of Sev0..Sev4. Activity-log levels also arrive as numbers in some
 * payloads (Service Health: {@code "level": 3}); those are enum ordinals of a different scale, so callers pass only
 * fields that are severities, never a numeric {@code level}.
 */
public final class Severity {

    private static final Map<String, String> NAMES = Map.of(
            "critical", "Sev0",
            "error", "Sev1",
            "warning", "Sev2",
            "informational", "Sev3",
            "information", "Sev3",
            "info", "Sev3",
            "verbose", "Sev4");

    private Severity() {
    }

    /** The normalised severity of a JSON value (string or number), or null. */
    public static String of(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (value.isIntegralNumber()) {
            // asInt() keeps the low 32 bits: 4294967298 would be 2, Sev2
            return value.canConvertToInt() ? ofNumber(value.intValue()) : null;
        }
        return value.isTextual() ? of(value.textValue()) : null;
    }

    /** The normalised severity of a spelled value, or null. */
    public static String of(String spelled) {
        if (spelled == null) {
            return null;
        }
        String s = spelled.replace(" ", "").toLowerCase(Locale.ROOT);
        if (s.startsWith("sev")) {
            s = s.substring(3);
        }
        if (s.length() == 1 && Character.isDigit(s.charAt(0))) {
            return ofNumber(s.charAt(0) - '0');
        }
        return NAMES.get(s);
    }

    private static String ofNumber(int n) {
        return n >= 0 && n <= 4 ? "Sev" + n : null;
    }
}
