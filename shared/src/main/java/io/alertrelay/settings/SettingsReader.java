package io.alertrelay.settings;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Typed, validated reads of app settings. Every error names the setting and never echoes a value. */
final class SettingsReader {

    private final Map<String, String> values;

    SettingsReader(Map<String, String> values) {
        this.values = values;
    }

    Optional<String> optional(String name) {
        String v = values.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    String string(String name, String defaultValue) {
        return optional(name).orElse(defaultValue);
    }

    String oneOf(String name, String defaultValue, String... allowed) {
        String v = string(name, defaultValue).toLowerCase(java.util.Locale.ROOT);
        if (!Arrays.asList(allowed).contains(v)) {
            throw new SettingsException("setting " + name + " must be one of " + String.join(", ", allowed));
        }
        return v;
    }

    String required(String name) {
        return optional(name).orElseThrow(() -> new SettingsException("setting " + name + " is required but not set"));
    }

    Optional<Secret> secret(String name) {
        return optional(name).map(Secret::new);
    }

    long positiveLong(String name, long defaultValue) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            long v = Long.parseLong(raw.get());
            if (v <= 0) {
                throw new SettingsException("setting " + name + " must be a positive whole number");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new SettingsException("setting " + name + " must be a positive whole number");
        }
    }

    Optional<URI> url(String name) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = URI.create(raw.get());
            String scheme = uri.getScheme();
            if (uri.getHost() == null || !("https".equals(scheme) || "http".equals(scheme))) {
                throw new SettingsException("setting " + name + " must be an absolute http(s) URL");
            }
            return Optional.of(uri);
        } catch (IllegalArgumentException e) {
            throw new SettingsException("setting " + name + " must be an absolute http(s) URL");
        }
    }

    List<Secret> secretList(String name) {
        return optional(name)
                .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Secret::new).toList())
                .orElse(List.of());
    }
}
