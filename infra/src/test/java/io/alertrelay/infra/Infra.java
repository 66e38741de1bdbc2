package io.alertrelay.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

/** Where the infrastructure files are, and reading them. */
final class Infra {

    static final ObjectMapper JSON = new ObjectMapper();

    private Infra() {
    }

    /** The repository root: the build passes it (alertrelay.root); from an IDE, the nearest folder with .mvn/. */
    static Path root() {
        String configured = System.getProperty("alertrelay.root");
        if (configured != null && Files.isDirectory(Path.of(configured, "infra"))) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve(".mvn")) && Files.isDirectory(p.resolve("infra"))) {
                return p;
            }
        }
        throw new IllegalStateException("repository root not found from " + Path.of("").toAbsolutePath());
    }

    static Path infra() {
        return root().resolve("infra");
    }

    static Path template() {
        return infra().resolve("azuredeploy.json");
    }

    static Path tableSchema() {
        return infra().resolve("log-analytics/alertrelay-table.json");
    }

    /** Microsoft's ARM template schemas, beside the checkout (DESIGN §12). */
    static Path armSchemas() {
        return root().resolve("../shared/arm-schemas").normalize();
    }

    static List<Path> queryFiles() {
        return kqlFiles("queries");
    }

    /** The .kql files of a folder of infra/, sorted by name. */
    static List<Path> kqlFiles(String folder) {
        try (var files = Files.list(infra().resolve(folder))) {
            return files.filter(f -> f.toString().endsWith(".kql")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The template's resources of one type (in template order). */
    static List<JsonNode> resources(JsonNode template, String type) {
        return StreamSupport.stream(template.path("resources").spliterator(), false)
                .filter(r -> r.path("type").asText().equalsIgnoreCase(type)).toList();
    }

    static JsonNode onlyResource(JsonNode template, String type) {
        List<JsonNode> found = resources(template, type);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type + " in the template, found " + found.size());
        }
        return found.get(0);
    }

    /** The one resource of this type whose name is this text (an expression, unevaluated). */
    static JsonNode resourceNamed(JsonNode template, String type, String name) {
        List<JsonNode> found = resources(template, type).stream().filter(r -> r.path("name").asText().equals(name))
                .toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type + " named " + name + ", found " + found.size());
        }
        return found.get(0);
    }

    /** siteConfig.appSettings of a site or slot as name -> raw value (expressions unevaluated), in order. */
    static Map<String, String> appSettings(JsonNode siteOrSlot) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (JsonNode s : siteOrSlot.path("properties").path("siteConfig").path("appSettings")) {
            if (settings.put(s.path("name").asText(), s.path("value").asText()) != null) {
                throw new AssertionError("app setting " + s.path("name").asText() + " is set twice");
            }
        }
        return settings;
    }

    /** Every string value in a JSON tree, with where it is. */
    static List<String[]> strings(JsonNode node, String where) {
        List<String[]> out = new ArrayList<>();
        if (node.isTextual()) {
            out.add(new String[] {where, node.asText()});
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                out.addAll(strings(node.get(i), where + "[" + i + "]"));
            }
        } else if (node.isObject()) {
            node.fields().forEachRemaining(e -> out.addAll(strings(e.getValue(), where + "." + e.getKey())));
        }
        return out;
    }
}
