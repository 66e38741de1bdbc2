package io.alertrelay.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem details body ({@code application/problem+json}). {@code type} names the kind of problem so a
 * caller can branch on it; {@code detail} says what was wrong with this request; extension members carry specifics
 * such as the line and column of a JSON syntax error.
 */
public record Problem(String type, String title, int status, String detail, Map<String, Object> extensions) {

    public static final String CONTENT_TYPE = "application/problem+json";
    private static final String TYPE_PREFIX = "https://alertrelay.io/problems/";

    public Problem {
        extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
    }

    public static Problem of(String kind, String title, int status, String detail) {
        return new Problem(TYPE_PREFIX + kind, title, status, detail, Map.of());
    }

    public Problem with(String member, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extensions);
        more.put(member, value);
        return new Problem(type, title, status, detail, more);
    }

    /** The JSON members in RFC 9457 order, extensions last. */
    public Map<String, Object> members() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("title", title);
        m.put("status", status);
        m.put("detail", detail);
        m.putAll(extensions);
        return m;
    }
}
