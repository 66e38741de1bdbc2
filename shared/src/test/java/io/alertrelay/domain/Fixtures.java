package io.alertrelay.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

/**
 * Microsoft's published Azure Monitor payloads (../shared/fixtures/azure-monitor), read verbatim. Tests that need a
 * variant derive it from a fixture in code, so the files stay exactly as published.
 */
final class Fixtures {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path DIRECTORY = locate();

    private Fixtures() {
    }

    static Path directory() {
        return DIRECTORY;
    }

    /** The names of every {@code *.json} fixture. */
    static List<String> jsonFiles() {
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(DIRECTORY.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fixture as a mutable tree, for deriving variants. */
    static ObjectNode tree(String name) {
        return (ObjectNode) parse(bytes(name));
    }

    static JsonNode parse(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] toBytes(JsonNode tree) {
        try {
            return MAPPER.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A full common-schema notification around one of the published {@code alertContext} fragments
     * ({@code cs-ctx-*.json}), with the given essentials (JSON text).
     */
    static byte[] commonSchemaAround(String fragment, String essentialsJson) {
        ObjectNode body = MAPPER.createObjectNode().put("schemaId", "azureMonitorCommonAlertSchema");
        ObjectNode data = body.putObject("data");
        data.set("essentials", parse(essentialsJson.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        data.set("alertContext", tree(fragment).get("alertContext"));
        return toBytes(body);
    }

    /**
     * The property {@code alertrelay.fixtures} set by surefire (root pom), else found by walking up from the working
     * directory to a {@code ../shared/fixtures/azure-monitor} (IDE runs).
     */
    private static Path locate() {
        String configured = System.getProperty("alertrelay.fixtures");
        if (configured != null && Files.isDirectory(Paths.get(configured))) {
            return Paths.get(configured).normalize();
        }
        for (Path dir = Paths.get(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("../shared/fixtures/azure-monitor").normalize();
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("fixtures not found: set -Dalertrelay.fixtures or run inside the project");
    }
}
