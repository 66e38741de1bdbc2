package io.alertrelay.settings;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Typed, validated reads of app settings. Every error names the setting and never echoes a value. */
final class SettingsReader {

    private static final String KEY_VAULT_REFERENCE = "@Microsoft.KeyVault(";

    private final Map<String, String> values;

    SettingsReader(Map<String, String> values) {
        this.values = values;
    }

    /**
     * The value, trimmed, or empty when unset or blank. App Service replaces a Key Vault reference by the secret
     * when it can read it and leaves the reference text in place when it cannot ("If a reference isn't resolved
     * properly, the reference string is used instead",
     * https://learn.microsoft.com/azure/app-service/app-service-key-vault-references#troubleshoot-key-vault-references):
     * such a value is named as what it is, never used as a secret.
     */
    Optional<String> optional(String name) {
        String v = values.get(name);
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        if (v.trim().regionMatches(true, 0, KEY_VAULT_REFERENCE, 0, KEY_VAULT_REFERENCE.length())) {
            throw new SettingsException("setting " + name + " is an unresolved Key Vault reference (" + KEY_VAULT_REFERENCE
                    + "...)): App Service could not read the secret; check that the secret exists and that the app's"
                    + " identity holds Key Vault Secrets User on the vault");
        }
        return Optional.of(v.trim());
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

    Optional<Secret> secret(String name) {
        return optional(name).map(Secret::new);
    }

    /** A whole number from {@code min} to {@code max}; anything else names the setting and the range. */
    long inRange(String name, long defaultValue, long min, long max) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        long v;
        try {
            v = Long.parseLong(raw.get());
        } catch (NumberFormatException e) {
            throw outOfRange(name, min, max);
        }
        if (v < min || v > max) {
            throw outOfRange(name, min, max);
        }
        return v;
    }

    private static SettingsException outOfRange(String name, long min, long max) {
        return new SettingsException("setting " + name + " must be a whole number from " + min + " to " + max);
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

    /** Functions named by {@code AzureWebJobs.<name>.Disabled} = true (or 1). */
    java.util.Set<String> disabledFunctions() {
        java.util.Set<String> disabled = new java.util.TreeSet<>();
        values.forEach((k, v) -> {
            if (k.startsWith("AzureWebJobs.") && k.endsWith(".Disabled") && v != null
                    && (v.trim().equalsIgnoreCase("true") || v.trim().equals("1"))) {
                disabled.add(k.substring("AzureWebJobs.".length(), k.length() - ".Disabled".length()));
            }
        });
        return java.util.Set.copyOf(disabled);
    }

    List<Secret> secretList(String name) {
        return optional(name)
                .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Secret::new).toList())
                .orElse(List.of());
    }
}
