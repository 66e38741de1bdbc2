package io.alertrelay.settings;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which settings each function needs (DESIGN §9), decided here once: the object graph checks a need before it builds
 * the adapter that serves it, and Health reports every unmet need, so a slot without {@code COSMOS_ENDPOINT} answers
 * 503 naming it instead of 200 while every AlertDequeuer call fails. A need that a stand-in meets (the local
 * runtime's store, platform receiver and bus) is passed as {@code metElsewhere}.
 */
public final class FunctionRequirements {

    /** What a function cannot run without. */
    public enum Need {
        SERVICE_BUS(Settings.SERVICE_BUS_CONNECTION + " (or " + Settings.SERVICE_BUS_NAMESPACE + ")"),
        TENANT_TOKEN_KEYS(Settings.TENANT_TOKEN_KEYS),
        STORE(Settings.COSMOS_ENDPOINT),
        PLATFORM_ENDPOINT(Settings.PLATFORM_ENDPOINT_URL),
        PLATFORM_SIGNING_SECRET(Settings.PLATFORM_SIGNING_SECRET);

        private final String settingName;

        Need(String settingName) {
            this.settingName = settingName;
        }

        /** The setting (or pair of settings) that meets this need in Azure. */
        public String settingName() {
            return settingName;
        }

        boolean isMetBy(Settings s) {
            return switch (this) {
                case SERVICE_BUS -> s.hasServiceBus();
                case TENANT_TOKEN_KEYS -> s.hasTenantTokenKeys();
                case STORE -> s.cosmosEndpoint().isPresent();
                case PLATFORM_ENDPOINT -> s.platformEndpoint().isPresent();
                case PLATFORM_SIGNING_SECRET -> !s.platformSigningSecrets().isEmpty();
            };
        }
    }

    /** Function name → its needs, in the order a newcomer would fix them. */
    private static final Map<String, List<Need>> NEEDS = needs();

    private FunctionRequirements() {
    }

    private static Map<String, List<Need>> needs() {
        Map<String, List<Need>> m = new LinkedHashMap<>();
        m.put("AlertWebhook", List.of(Need.SERVICE_BUS, Need.TENANT_TOKEN_KEYS));
        m.put("AlertDequeuer", List.of(Need.SERVICE_BUS, Need.STORE, Need.PLATFORM_ENDPOINT, Need.PLATFORM_SIGNING_SECRET));
        m.put("AlertDequeuerBulk", List.of(Need.SERVICE_BUS, Need.STORE, Need.PLATFORM_ENDPOINT,
                Need.PLATFORM_SIGNING_SECRET));
        m.put("EventStatus", List.of(Need.STORE));
        m.put("Replay", List.of(Need.SERVICE_BUS, Need.STORE));
        m.put("Health", List.of());
        return m;
    }

    public static List<Need> of(String function) {
        return NEEDS.getOrDefault(function, List.of());
    }

    /**
     * One line per unmet need, naming the setting and the functions that need it, e.g. "setting COSMOS_ENDPOINT is
     * required by AlertDequeuer, EventStatus but not set". Empty when every function can run.
     */
    public static List<String> problems(Settings settings, Set<Need> metElsewhere) {
        Map<Need, List<String>> unmet = new LinkedHashMap<>();
        NEEDS.forEach((function, needs) -> {
            if (settings.isDisabled(function)) {
                return; // a disabled function needs nothing (staging's AlertDequeuer)
            }
            for (Need need : needs) {
                if (!metElsewhere.contains(need) && !need.isMetBy(settings)) {
                    unmet.computeIfAbsent(need, n -> new ArrayList<>()).add(function);
                }
            }
        });
        List<String> problems = new ArrayList<>();
        unmet.forEach((need, functions) -> problems.add(message(need, functions)));
        return problems;
    }

    /** Fails naming the setting when {@code function}'s {@code need} is unmet; the graph calls it before building. */
    public static void require(Settings settings, String function, Need need) {
        if (!need.isMetBy(settings)) {
            throw new SettingsException(message(need, List.of(function)));
        }
    }

    public static Set<Need> none() {
        return EnumSet.noneOf(Need.class);
    }

    private static String message(Need need, List<String> functions) {
        return "setting " + need.settingName() + " is required by " + String.join(", ", functions) + " but not set";
    }
}
