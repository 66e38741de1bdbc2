package io.alertrelay.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The table schema as written once in {@code infra/log-analytics/alertrelay-table.json}, and row checks against it. */
public final class TableSchema {

    public static final String RELATIVE_PATH = "infra/log-analytics/alertrelay-table.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TableSchema() {
    }

    public static Path file() {
        String root = System.getProperty("alertrelay.root");
        if (root != null && Files.isRegularFile(Path.of(root, RELATIVE_PATH))) {
            return Path.of(root, RELATIVE_PATH);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(RELATIVE_PATH))) {
                return dir.resolve(RELATIVE_PATH);
            }
        }
        throw new IllegalStateException(RELATIVE_PATH + " not found: set -Dalertrelay.root to the checkout");
    }

    public static JsonNode json() {
        try {
            return JSON.readTree(file().toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Column name to Log Analytics type, in the file's order. */
    public static Map<String, String> columns() {
        Map<String, String> columns = new LinkedHashMap<>();
        json().path("columns").forEach(c -> columns.put(c.path("name").asText(), c.path("type").asText()));
        return columns;
    }

    /** Asserts the row has exactly the table's columns, each value of the JSON kind its type takes. */
    public static void assertRowMatches(JsonNode row) {
        Map<String, String> columns = columns();
        List<String> names = iterate(row);
        assertThat(names).as("row columns").containsExactlyInAnyOrderElementsOf(columns.keySet());
        columns.forEach((name, type) -> {
            JsonNode v = row.get(name);
            switch (type) {
                case "datetime" -> {
                    assertThat(v.isTextual()).as(name + " is an ISO-8601 string").isTrue();
                    assertThat(Instant.parse(v.asText())).as(name).isNotNull();
                    assertThat(v.asText()).as(name + " is UTC").endsWith("Z");
                }
                case "string" -> assertThat(v.isTextual() || v.isNull()).as(name + " is a string or null: " + v).isTrue();
                case "real" -> assertThat(v.isNumber() || v.isNull()).as(name + " is a number or null: " + v).isTrue();
                case "dynamic" -> assertThat(v.isObject()).as(name + " is an object: " + v).isTrue();
                default -> throw new AssertionError("column type the checks do not know: " + type);
            }
        });
    }

    private static List<String> iterate(JsonNode row) {
        List<String> names = new java.util.ArrayList<>();
        row.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
