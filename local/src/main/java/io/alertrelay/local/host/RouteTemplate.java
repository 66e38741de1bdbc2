package io.alertrelay.local.host;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An httpTrigger route such as {@code alerts/{tenant}} under the host's route prefix ({@code api}), matched segment
 * by segment as ASP.NET Core routing does for the Functions host: a literal matches itself (case-insensitively), a
 * {@code {name}} parameter one non-empty segment, a {@code {name?}} parameter an optional last segment. Constraints
 * ({@code {id:int}}) are not used by our functions and are not checked.
 *
 * <p>As the Functions host does, it refuses a route that starts with {@code admin} or {@code runtime}, whatever the
 * prefix: the host keeps those for its own APIs and leaves such a function in error ("The specified route conflicts
 * with one or more built in routes"; azure-functions-host issue #1781, and ScriptHost's route validation, which
 * reserved "runtime" in pull request #3460). A route that would fail in Azure fails here first.
 */
final class RouteTemplate {

    /** Slashes at either end of a request path, compiled once: every request is matched against every route. */
    private static final Pattern EDGE_SLASHES = Pattern.compile("^/+|/+$");

    private final List<String> segments;

    /** The first characters of a route the host keeps for itself, compared case-insensitively. */
    static final List<String> RESERVED = List.of("admin", "runtime");

    /** @throws IllegalArgumentException for a route the Functions host refuses */
    RouteTemplate(String prefix, String route) {
        String bare = route.replaceAll("^/+", "").toLowerCase(java.util.Locale.ROOT);
        if (RESERVED.stream().anyMatch(bare::startsWith)) {
            throw new IllegalArgumentException("route " + route
                    + ": The specified route conflicts with one or more built in routes.");
        }
        List<String> s = new ArrayList<>();
        for (String part : (prefix + "/" + route).split("/")) {
            if (!part.isEmpty()) {
                s.add(part);
            }
        }
        this.segments = List.copyOf(s);
    }

    /** The route parameters when {@code path} matches, decoded. */
    Optional<Map<String, String>> match(String path) {
        String[] parts = EDGE_SLASHES.matcher(path).replaceAll("").split("/", -1);
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String template = segments.get(i);
            boolean parameter = template.startsWith("{") && template.endsWith("}");
            String name = parameter ? template.substring(1, template.length() - 1).split(":", 2)[0] : null;
            boolean optional = parameter && name.endsWith("?");
            if (i >= parts.length || parts[i].isEmpty()) {
                if (optional && i == segments.size() - 1) {
                    return Optional.of(params);
                }
                return Optional.empty();
            }
            if (!parameter) {
                if (!template.equalsIgnoreCase(parts[i])) {
                    return Optional.empty();
                }
            } else {
                params.put(optional ? name.substring(0, name.length() - 1) : name,
                        URLDecoder.decode(parts[i].replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return parts.length == segments.size() ? Optional.of(params) : Optional.empty();
    }
}
