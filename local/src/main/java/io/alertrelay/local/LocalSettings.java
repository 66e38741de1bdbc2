package io.alertrelay.local;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.settings.Settings;
import io.alertrelay.settings.SettingsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The app settings of a local run: the {@code Values} of the committed {@code local.settings.sample.json}, with those
 * of {@code local.settings.json} (never committed: it may hold real Azure secrets) merged over them — so a
 * {@code local.settings.json} that holds only the one setting you want to change works.
 *
 * <p>A file that is not valid JSON is a {@link SettingsException} naming the file, line and column. A setting name
 * that neither Alert Relay nor the Functions host reads (a typo such as {@code MAX_DELIVRY_COUNT}) is kept, and
 * reported by {@link #warnings()} with the nearest known name.
 */
public final class LocalSettings {

    public static final String SAMPLE_FILE = "local.settings.sample.json";
    public static final String FILE = "local.settings.json";

    /** Settings the Functions host (or Core Tools) itself reads from local.settings.json; not errors, not ours. */
    static final Set<String> HOST_SETTINGS = Set.of("FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION",
            "AzureWebJobsStorage", "AzureWebJobsFeatureFlags", "AzureWebJobsSecretStorageType",
            "APPLICATIONINSIGHTS_CONNECTION_STRING", "JAVA_OPTS");
    /** {@code AzureWebJobs.<function>.Disabled}: the host's switch to turn one function off. */
    private static final Pattern DISABLED_FUNCTION = Pattern.compile("AzureWebJobs\\.[A-Za-z0-9_-]+\\.Disabled");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final List<Path> sources;
    private final Map<String, String> values;
    private final Map<String, Path> origins;
    private final List<String> warnings;

    private LocalSettings(List<Path> sources, Map<String, String> values, Map<String, Path> origins,
                          List<String> warnings) {
        this.sources = List.copyOf(sources);
        this.values = values;
        this.origins = origins;
        this.warnings = List.copyOf(warnings);
    }

    /** Reads local.settings.sample.json, then local.settings.json over it; at least one of them must be in {@code dir}. */
    public static LocalSettings load(Path dir) {
        List<Path> sources = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Path> origins = new LinkedHashMap<>();
        for (String name : new String[] {SAMPLE_FILE, FILE}) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) {
                sources.add(file);
                read(file).forEach((k, v) -> {
                    values.put(k, v);
                    origins.put(k, file);
                });
            }
        }
        if (sources.isEmpty()) {
            throw new SettingsException("neither " + FILE + " nor " + SAMPLE_FILE + " is in " + dir);
        }
        List<String> warnings = new ArrayList<>();
        origins.forEach((name, file) -> unknownNameWarning(name, file).ifPresent(warnings::add));
        return new LocalSettings(sources, values, origins, warnings);
    }

    private static Map<String, String> read(Path file) {
        String name = file.getFileName().toString();
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new SettingsException(name + " is not valid JSON" + where(e.getLocation()) + ": " + detail(e));
        } catch (IOException e) {
            throw new SettingsException(name + " cannot be read: " + e.getMessage());
        }
        JsonNode values = root == null ? null : root.get("Values");
        if (values == null || !values.isObject()) {
            throw new SettingsException(name + " has no \"Values\" object (the settings go in {\"Values\": {…}})");
        }
        Map<String, String> map = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = values.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            if (e.getValue().isContainerNode()) {
                throw new SettingsException(name + ": setting " + e.getKey()
                        + " must be a string, not a JSON " + e.getValue().getNodeType().name().toLowerCase(Locale.ROOT));
            }
            map.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
        }
        return map;
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /**
     * Jackson's own words without its source reference; a quoted token is left out, since a value with a missing
     * quote (a secret) would otherwise be printed.
     */
    private static String detail(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "malformed JSON" : e.getOriginalMessage();
        int reference = message.indexOf(" (start marker at [Source");
        if (reference < 0) {
            reference = message.indexOf("\n");
        }
        String detail = (reference < 0 ? message : message.substring(0, reference)).strip();
        return detail.replaceAll("token '[^']*'", "token").replaceAll("\\.$", "");
    }

    /** A warning for a setting name nothing reads, with the nearest known name when one is close. */
    static Optional<String> unknownNameWarning(String name, Path file) {
        if (isKnown(name)) {
            return Optional.empty();
        }
        String warning = file.getFileName() + " sets " + name + ", which neither Alert Relay nor the Functions host reads";
        return Optional.of(nearestKnown(name).map(n -> warning + "; did you mean " + n + "?").orElse(warning));
    }

    static boolean isKnown(String name) {
        return Settings.ALL.contains(name) || HOST_SETTINGS.contains(name) || DISABLED_FUNCTION.matcher(name).matches();
    }

    /** The known name at the smallest edit distance (case ignored), if it is close enough to be a typo. */
    static Optional<String> nearestKnown(String name) {
        List<String> known = new ArrayList<>(Settings.ALL);
        known.addAll(HOST_SETTINGS);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        int allowed = Math.max(2, name.length() / 4);
        return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** The files read, in merge order: the sample first, local.settings.json over it. */
    public List<Path> sources() {
        return sources;
    }

    /** The file whose value of {@code name} is used, if any sets it. */
    public Optional<Path> origin(String name) {
        return Optional.ofNullable(origins.get(name));
    }

    /** One line per setting name that nothing reads (a likely typo), naming the file and the nearest known name. */
    public List<String> warnings() {
        return warnings;
    }

    /** A copy of the merged values, to which the runtime adds the addresses of the stand-ins it starts. */
    public Map<String, String> values() {
        return new LinkedHashMap<>(values);
    }

    public boolean has(String name) {
        String v = values.get(name);
        return v != null && !v.isBlank();
    }

    /** How the banner names the files: {@code local.settings.json over local.settings.sample.json}. */
    public static String describe(List<Path> sources, Path workingDir) {
        List<String> names = new ArrayList<>();
        for (int i = sources.size() - 1; i >= 0; i--) {
            names.add(Banner.shown(sources.get(i), workingDir));
        }
        return String.join(" over ", names);
    }
}
