package io.alertrelay.local.host;

import io.alertrelay.functions.AppGraph;
import io.alertrelay.functions.FunctionClasses;
import io.alertrelay.port.Store;
import io.alertrelay.settings.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The app that {@code mvn package} wrote, loaded as the local runtime loads it, for tests. */
public final class PackagedFunctions {

    private PackagedFunctions() {
    }

    public static FunctionApp load(Map<String, String> settings, FunctionInstances instances) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("ALERTS_TOPIC", "alerts");
        values.put("ALERTS_SUBSCRIPTION", "platform-delivery");
        values.put("ALERTS_BULK_SUBSCRIPTION", "platform-delivery-bulk");
        values.putAll(settings);
        return FunctionApp.load(directory(), values, instances);
    }

    /** The packaged app whose function instances get their parts from {@code graph}. */
    public static FunctionApp load(Map<String, String> settings, AppGraph graph) {
        return load(settings, () -> graph);
    }

    /** As above, asking {@code graph} for the graph at every invocation (tests that swap configurations). */
    public static FunctionApp load(Map<String, String> settings, Supplier<AppGraph> graph) {
        return load(settings, new FunctionInstances() {
            @Override
            public <T> T instance(Class<T> functionClass) {
                return FunctionClasses.create(functionClass, graph.get());
            }
        });
    }

    /**
     * A graph for the webhook over HTTP: publishing to {@code serviceBusConnection}, tenant tokens from
     * {@code tokenKey}, documents in {@code store}, and a platform address nothing listens on (no delivery here).
     */
    public static AppGraph webhookGraph(String serviceBusConnection, String tokenKey, Store store) {
        return AppGraph.builder(Map.of(
                Settings.SERVICE_BUS_CONNECTION, serviceBusConnection,
                Settings.TENANT_TOKEN_KEYS, tokenKey,
                Settings.PLATFORM_ENDPOINT_URL, "http://127.0.0.1:9/platform",
                Settings.PLATFORM_SIGNING_SECRET, "whsec_MDEyMzQ1Njc4OWFiY2RlZg=="))
                .store(store).build();
    }

    public static Path directory() {
        return FunctionApp.packagedDirectory(Path.of(System.getProperty("alertrelay.root", ".")));
    }
}
