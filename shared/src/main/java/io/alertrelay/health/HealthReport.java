package io.alertrelay.health;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code GET /api/health} answers: the version and the state of each dependency ("ok", "unconfigured", or a
 * "ok (what it is)", or a short reason). It holds no secret: states come from probes that report exception class names, not messages.
 *
 * @param status "ok" when every configured dependency is ok, else "degraded"
 */
public record HealthReport(String status, String version, Map<String, String> dependencies) {

    private static final java.util.Set<String> HEALTHY = java.util.Set.of("ok", "configured", "unconfigured");

    public HealthReport {
        dependencies = Map.copyOf(new LinkedHashMap<>(dependencies));
    }

    public static HealthReport of(String version, Map<String, String> dependencies) {
        boolean ok = dependencies.values().stream().allMatch(v -> HEALTHY.contains(v) || v.startsWith("ok "));
        return new HealthReport(ok ? "ok" : "degraded", version, dependencies);
    }

    /** A worker whose settings are missing or malformed: the message names the setting, never its value. */
    public static HealthReport misconfigured(String settingsMessage) {
        return new HealthReport("misconfigured", currentVersion(), Map.of("settings", settingsMessage));
    }

    /** The version in the jar manifest (Implementation-Version), or "dev" when run from classes. */
    public static String currentVersion() {
        String v = HealthReport.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
