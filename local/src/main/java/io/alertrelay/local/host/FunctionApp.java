package io.alertrelay.local.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The packaged function app as the Functions host loads it: every {@code function.json} under the folder that
 * {@code mvn package} writes ({@code functions/target/azure-functions/alert-relay}), its binding expressions resolved
 * against the app settings, each bound to its Java method. The local HTTP host and the Service Bus trigger driver
 * take their routes, triggers and data types from here, never from the function classes directly, so a binding that
 * would fail in Azure fails locally too.
 */
public final class FunctionApp {

    /** Where the packaged app is, relative to the project root (functions/pom.xml: functionAppName alert-relay). */
    static final String PACKAGED = "functions/target/azure-functions/alert-relay";
    /** System property naming the packaged app folder (set by the build for tests). */
    public static final String DIRECTORY_PROPERTY = "alertrelay.functions.dir";

    private final Path directory;
    private final String routePrefix;
    private final Map<String, FunctionInvoker> functions;

    private FunctionApp(Path directory, String routePrefix, Map<String, FunctionInvoker> functions) {
        this.directory = directory;
        this.routePrefix = routePrefix;
        this.functions = functions;
    }

    /**
     * Loads the app in {@code directory}.
     *
     * @throws io.alertrelay.settings.SettingsException a binding expression names an app setting that is not set
     * @throws IllegalStateException no packaged app there, or an entry point that is not on the classpath
     */
    public static FunctionApp load(Path directory, Map<String, String> appSettings, FunctionInstances instances) {
        Map<String, FunctionInvoker> functions = new LinkedHashMap<>();
        ClassLoader loader = FunctionApp.class.getClassLoader();
        for (FunctionDefinition f : FunctionDefinition.readApp(directory)) {
            functions.put(f.name(), new FunctionInvoker(f.resolve(appSettings), loader, instances));
        }
        return new FunctionApp(directory, routePrefix(directory.resolve("host.json")), Map.copyOf(functions));
    }

    /** host.json {@code extensions.http.routePrefix}; "api" when absent, as in the host. */
    private static String routePrefix(Path hostJson) {
        try {
            JsonNode prefix = new ObjectMapper().readTree(hostJson.toFile()).path("extensions").path("http")
                    .path("routePrefix");
            return prefix.isTextual() ? prefix.asText() : "api";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + hostJson, e);
        }
    }

    /**
     * The packaged app of this checkout: the {@value #DIRECTORY_PROPERTY} system property, else {@value #PACKAGED}
     * under {@code projectDir}.
     */
    public static Path packagedDirectory(Path projectDir) {
        String configured = System.getProperty(DIRECTORY_PROPERTY);
        Path dir = configured != null ? Path.of(configured) : projectDir.resolve(PACKAGED);
        if (!Files.isRegularFile(dir.resolve("host.json"))) {
            throw new IllegalStateException("the packaged function app is not in " + dir
                    + "; build it first: mvn -B -DskipTests package");
        }
        return dir;
    }

    public Path directory() {
        return directory;
    }

    public String routePrefix() {
        return routePrefix;
    }

    public Optional<FunctionInvoker> function(String name) {
        return Optional.ofNullable(functions.get(name));
    }

    /** The function whose trigger is of {@code triggerType} (httpTrigger, serviceBusTrigger, …). */
    public List<FunctionInvoker> triggeredBy(String triggerType) {
        return functions.values().stream()
                .filter(f -> f.definition().trigger().type().equalsIgnoreCase(triggerType))
                .toList();
    }

    public List<FunctionInvoker> all() {
        return List.copyOf(functions.values());
    }
}
