package io.alertrelay.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.settings.SettingsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The app settings of a local run: the {@code Values} of {@code local.settings.json} (never committed: it may hold
 * real Azure secrets), else of the committed {@code local.settings.sample.json}, as Core Tools reads them.
 */
public final class LocalSettings {

    private final Path source;
    private final Map<String, String> values;

    private LocalSettings(Path source, Map<String, String> values) {
        this.source = source;
        this.values = values;
    }

    /** Reads the first of local.settings.json and local.settings.sample.json found in {@code dir}. */
    public static LocalSettings load(Path dir) {
        for (String name : new String[] {"local.settings.json", "local.settings.sample.json"}) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) {
                return new LocalSettings(file, read(file));
            }
        }
        throw new SettingsException("neither local.settings.json nor local.settings.sample.json is in " + dir);
    }

    private static Map<String, String> read(Path file) {
        try {
            JsonNode values = new ObjectMapper().readTree(file.toFile()).path("Values");
            if (!values.isObject()) {
                throw new SettingsException(file.getFileName() + " has no \"Values\" object");
            }
            Map<String, String> map = new LinkedHashMap<>();
            values.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
            return map;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SettingsException(file.getFileName() + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new SettingsException(file.getFileName() + " cannot be read: " + e.getMessage());
        }
    }

    public Path source() {
        return source;
    }

    /** A copy of the values, to which the runtime adds the addresses of the stand-ins it starts. */
    public Map<String, String> values() {
        return new LinkedHashMap<>(values);
    }

    public boolean has(String name) {
        String v = values.get(name);
        return v != null && !v.isBlank();
    }
}
