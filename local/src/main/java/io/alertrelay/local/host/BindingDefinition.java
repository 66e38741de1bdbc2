package io.alertrelay.local.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.settings.SettingsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of a function.json {@code bindings} array, as the Functions host reads it: its type, direction, name,
 * {@code dataType} and the trigger's own properties (route, methods, authLevel, topicName, connection, …).
 */
public final class BindingDefinition {

    /** An app-setting binding expression, {@code %NAME%}. */
    private static final Pattern APP_SETTING = Pattern.compile("%([^%]+)%");

    private final ObjectNode json;

    BindingDefinition(ObjectNode json) {
        this.json = json.deepCopy();
    }

    public String type() {
        return text("type").orElse("");
    }

    public String name() {
        return text("name").orElse("");
    }

    public boolean isInput() {
        return text("direction").orElse("").equalsIgnoreCase("in");
    }

    public boolean isTrigger() {
        return isInput() && type().endsWith("Trigger");
    }

    /**
     * True when the host hands the Java worker bytes: "Bind binary inputs or outputs to byte[], by setting the
     * dataType field in your function.json to binary" (Java developer guide,
     * https://learn.microsoft.com/azure/azure-functions/functions-reference-java#binary-data). Otherwise the host
     * sends a string.
     */
    public boolean isBinary() {
        return text("dataType").map(t -> t.equalsIgnoreCase("binary")).orElse(false);
    }

    public Optional<String> text(String property) {
        JsonNode v = json.get(property);
        return v == null || v.isNull() || v.isContainerNode() ? Optional.empty() : Optional.of(v.asText());
    }

    public List<String> texts(String property) {
        List<String> out = new ArrayList<>();
        json.path(property).forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The HTTP methods an httpTrigger accepts, upper case; empty means every method. */
    public List<String> methods() {
        return texts("methods").stream().map(m -> m.toUpperCase(Locale.ROOT)).toList();
    }

    /**
     * This binding with each {@code %NAME%} replaced by the app setting NAME, as the host resolves binding
     * expressions when it indexes a function. A name that is not an app setting stops the function from loading, in
     * Azure as here.
     */
    BindingDefinition resolve(String function, Map<String, String> appSettings) {
        ObjectNode resolved = json.deepCopy();
        json.fields().forEachRemaining(e -> {
            if (e.getValue().isTextual()) {
                resolved.put(e.getKey(), resolveText(function, e.getKey(), e.getValue().asText(), appSettings));
            }
        });
        return new BindingDefinition(resolved);
    }

    private String resolveText(String function, String property, String text, Map<String, String> appSettings) {
        Matcher m = APP_SETTING.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = appSettings.get(m.group(1));
            if (value == null || value.isBlank()) {
                throw new SettingsException("setting " + m.group(1) + " is required by " + function + " (its binding '"
                        + name() + "' has " + property + " = %" + m.group(1) + "%) but not set; the host cannot load "
                        + "the function without it");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    @Override
    public String toString() {
        return json.toString();
    }
}
