package io.alertrelay.local.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One function as the Functions host loads it: the folder name is the function's name and its {@code function.json}
 * (written by azure-functions-maven-plugin at {@code mvn package}) names the Java entry point and the bindings.
 *
 * @param entryPoint {@code package.Class.method}
 */
public record FunctionDefinition(String name, String entryPoint, List<BindingDefinition> bindings) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public FunctionDefinition {
        bindings = List.copyOf(bindings);
    }

    /** Every function of a packaged app: each sub-folder of {@code appDir} that holds a function.json. */
    public static List<FunctionDefinition> readApp(Path appDir) {
        if (!Files.isRegularFile(appDir.resolve("host.json"))) {
            throw new IllegalStateException("no packaged function app in " + appDir
                    + " (no host.json); build it with: mvn -B -DskipTests package");
        }
        List<FunctionDefinition> functions = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(appDir)) {
            for (Path dir : dirs.sorted().toList()) {
                if (Files.isRegularFile(dir.resolve("function.json"))) {
                    functions.add(read(dir.getFileName().toString(), dir.resolve("function.json")));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the function app in " + appDir, e);
        }
        return functions;
    }

    static FunctionDefinition read(String name, Path functionJson) {
        try {
            JsonNode root = JSON.readTree(functionJson.toFile());
            List<BindingDefinition> bindings = new ArrayList<>();
            for (JsonNode b : root.path("bindings")) {
                if (b instanceof ObjectNode o) {
                    bindings.add(new BindingDefinition(o));
                }
            }
            return new FunctionDefinition(name, root.path("entryPoint").asText(), bindings);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + functionJson, e);
        }
    }

    /** The binding that starts the function. */
    public BindingDefinition trigger() {
        return bindings.stream().filter(BindingDefinition::isTrigger).findFirst()
                .orElseThrow(() -> new IllegalStateException(name + " has no trigger binding"));
    }

    public Optional<BindingDefinition> binding(String bindingName) {
        return bindings.stream().filter(b -> b.name().equals(bindingName)).findFirst();
    }

    public String className() {
        return entryPoint.substring(0, entryPoint.lastIndexOf('.'));
    }

    public String methodName() {
        return entryPoint.substring(entryPoint.lastIndexOf('.') + 1);
    }

    /** This function with its binding expressions resolved against the app settings (see BindingDefinition). */
    public FunctionDefinition resolve(Map<String, String> appSettings) {
        return new FunctionDefinition(name, entryPoint, bindings.stream().map(b -> b.resolve(name, appSettings)).toList());
    }
}
