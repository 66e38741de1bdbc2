package io.alertrelay.local.host;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The app that {@code mvn package} wrote, loaded as the local runtime loads it, for tests. */
public final class PackagedFunctions {

    private PackagedFunctions() {
    }

    /** The packaged app with {@code settings} plus the topic and subscription names its bindings refer to. */
    public static FunctionApp load(Map<String, String> settings) {
        return load(settings, FunctionInstances.newInstances());
    }

    public static FunctionApp load(Map<String, String> settings, FunctionInstances instances) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("ALERTS_TOPIC", "alerts");
        values.put("ALERTS_SUBSCRIPTION", "platform-delivery");
        values.putAll(settings);
        return FunctionApp.load(directory(), values, instances);
    }

    public static Path directory() {
        return FunctionApp.packagedDirectory(Path.of(System.getProperty("alertrelay.root", ".")));
    }
}
