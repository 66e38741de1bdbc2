package io.alertrelay.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Evaluates the template expressions of {@code infra/azuredeploy.json} the way ARM would, for the functions the
 * template uses, so that tests compare values rather than spellings: {@code [string(parameters('maxDeliveryCount'))]}
 * is "10", and "7" when the parameter is 7. Deployment-time values stand in as placeholders: {@code reference(id)}
 * yields the text "{reference(<id>)}" followed by the properties read from it; subscription and resource group are
 * fixed fakes, environment() the public cloud; uniqueString and guid are deterministic. An unknown function fails loudly.
 */
final class ArmTemplate {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final String SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";
    static final String RESOURCE_GROUP = "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/alert-relay";

    private final JsonNode template;
    private final Map<String, JsonNode> parameterValues;
    private final Map<String, JsonNode> variableCache = new HashMap<>();

    ArmTemplate(JsonNode template) {
        this(template, Map.of());
    }

    /** @param parameterValues values that replace the parameters' defaults, as a parameters file would */
    ArmTemplate(JsonNode template, Map<String, JsonNode> parameterValues) {
        this.template = template;
        this.parameterValues = parameterValues;
    }

    JsonNode json() {
        return template;
    }

    /** The value with every expression in it evaluated (outside any copy loop). */
    JsonNode eval(JsonNode value) {
        return eval(value, null);
    }

    /** The value with every expression evaluated as in iteration {@code copyIndex} of its resource's copy loop. */
    JsonNode eval(JsonNode value, Integer copyIndex) {
        if (value.isTextual()) {
            String s = value.asText();
            if (s.startsWith("[[")) {
                return TextNode.valueOf(s.substring(1));
            }
            if (s.startsWith("[") && s.endsWith("]")) {
                return new Parser(s.substring(1, s.length() - 1), copyIndex).parseAll();
            }
            return value;
        }
        if (value.isArray()) {
            ArrayNode out = F.arrayNode();
            value.forEach(v -> out.add(eval(v, copyIndex)));
            return out;
        }
        if (value.isObject()) {
            ObjectNode out = F.objectNode();
            value.fields().forEachRemaining(e -> out.set(e.getKey(), eval(e.getValue(), copyIndex)));
            return out;
        }
        return value;
    }

    String text(JsonNode value) {
        return text(value, null);
    }

    String text(JsonNode value, Integer copyIndex) {
        return asString(eval(value, copyIndex));
    }

    JsonNode parameter(String name) {
        if (parameterValues.containsKey(name)) {
            return parameterValues.get(name);
        }
        JsonNode declared = template.path("parameters").path(name);
        if (declared.isMissingNode()) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        if (!declared.has("defaultValue")) {
            // a required parameter: a recognisable stand-in of its type
            return declared.path("type").asText().equalsIgnoreCase("int") ? LongNode.valueOf(1)
                    : TextNode.valueOf("<" + name + ">");
        }
        return eval(declared.get("defaultValue"));
    }

    JsonNode variable(String name) {
        JsonNode cached = variableCache.get(name);
        if (cached == null) {
            JsonNode declared = template.path("variables").path(name);
            if (declared.isMissingNode()) {
                throw new IllegalArgumentException("no variable " + name + " (copy-loop variables are not evaluated here)");
            }
            cached = eval(declared);
            variableCache.put(name, cached);
        }
        return cached;
    }

    static String asString(JsonNode v) {
        return v.isTextual() ? v.asText() : v.isValueNode() ? v.asText() : v.toString();
    }

    /** Recursive descent over the expression grammar: call(args) | 'string' | number, then .property or [index]. */
    private final class Parser {
        private final String s;
        private final Integer copyIndex;
        private int i;

        Parser(String s, Integer copyIndex) {
            this.s = s;
            this.copyIndex = copyIndex;
        }

        JsonNode parseAll() {
            JsonNode v = expression();
            skipSpace();
            if (i != s.length()) {
                throw error("unexpected text");
            }
            return v;
        }

        private JsonNode expression() {
            skipSpace();
            JsonNode v;
            char c = s.charAt(i);
            if (c == '\'') {
                v = TextNode.valueOf(string());
            } else if (Character.isDigit(c) || c == '-') {
                int start = i++;
                while (i < s.length() && Character.isDigit(s.charAt(i))) {
                    i++;
                }
                v = LongNode.valueOf(Long.parseLong(s.substring(start, i)));
            } else {
                String name = identifier();
                skipSpace();
                expect('(');
                List<JsonNode> args = new ArrayList<>();
                if (!peek(')')) {
                    do {
                        args.add(expression());
                        skipSpace();
                    } while (accept(','));
                }
                expect(')');
                v = call(name, args);
            }
            while (true) {
                skipSpace();
                if (accept('.')) {
                    v = property(v, identifier());
                } else if (accept('[')) {
                    JsonNode index = expression();
                    skipSpace();
                    expect(']');
                    v = index.isNumber() ? v.get(index.asInt()) : property(v, index.asText());
                } else {
                    return v;
                }
            }
        }

        private JsonNode property(JsonNode v, String name) {
            if (v.isTextual() && v.asText().startsWith("{reference(")) {
                return TextNode.valueOf(v.asText() + "." + name); // a deployment-time value: keep the path
            }
            JsonNode p = v.get(name);
            if (p == null) {
                throw error("no property " + name + " in " + v);
            }
            return p;
        }

        private JsonNode call(String name, List<JsonNode> a) {
            switch (name.toLowerCase()) {
                case "parameters": return parameter(a.get(0).asText());
                case "variables": return variable(a.get(0).asText());
                case "copyindex":
                    if (copyIndex == null || !a.isEmpty()) {
                        throw error("copyIndex() outside a resource copy loop");
                    }
                    return LongNode.valueOf(copyIndex);
                case "concat":
                    if (!a.isEmpty() && a.stream().allMatch(JsonNode::isArray)) {
                        ArrayNode out = F.arrayNode();
                        a.forEach(x -> out.addAll((ArrayNode) x));
                        return out;
                    }
                    StringBuilder sb = new StringBuilder();
                    a.forEach(x -> sb.append(asString(x)));
                    return TextNode.valueOf(sb.toString());
                case "format": return TextNode.valueOf(format(asString(a.get(0)), a.subList(1, a.size())));
                case "string": return TextNode.valueOf(asString(a.get(0)));
                case "tolower": return TextNode.valueOf(a.get(0).asText().toLowerCase());
                case "take":
                    if (a.get(0).isArray()) {
                        ArrayNode out = F.arrayNode();
                        for (int k = 0; k < Math.min(a.get(1).asInt(), a.get(0).size()); k++) {
                            out.add(a.get(0).get(k));
                        }
                        return out;
                    }
                    String t = a.get(0).asText();
                    return TextNode.valueOf(t.substring(0, Math.min(t.length(), a.get(1).asInt())));
                case "startswith": return BooleanNode.valueOf(a.get(0).asText().startsWith(a.get(1).asText()));
                case "empty": return BooleanNode.valueOf(a.get(0).isContainerNode() ? a.get(0).isEmpty() : a.get(0).asText().isEmpty());
                case "not": return BooleanNode.valueOf(!a.get(0).asBoolean());
                case "and": return BooleanNode.valueOf(a.stream().allMatch(JsonNode::asBoolean));
                case "equals": return BooleanNode.valueOf(a.get(0).equals(a.get(1)) || asString(a.get(0)).equals(asString(a.get(1))));
                case "if": return a.get(0).asBoolean() ? a.get(1) : a.get(2);
                case "length": return LongNode.valueOf(a.get(0).isContainerNode() ? a.get(0).size() : a.get(0).asText().length());
                case "mod": return LongNode.valueOf(a.get(0).asLong() % a.get(1).asLong());
                case "div": return LongNode.valueOf(a.get(0).asLong() / a.get(1).asLong());
                case "mul": return LongNode.valueOf(a.get(0).asLong() * a.get(1).asLong());
                case "createarray": {
                    ArrayNode out = F.arrayNode();
                    a.forEach(out::add);
                    return out;
                }
                case "createobject": {
                    ObjectNode out = F.objectNode();
                    for (int k = 0; k + 1 < a.size(); k += 2) {
                        out.set(a.get(k).asText(), a.get(k + 1));
                    }
                    return out;
                }
                case "uricomponent": return TextNode.valueOf(java.net.URLEncoder.encode(a.get(0).asText(), StandardCharsets.UTF_8));
                case "uniquestring": return TextNode.valueOf(hash(a).substring(0, 13));
                case "guid": return TextNode.valueOf(UUID.nameUUIDFromBytes(join(a).getBytes(StandardCharsets.UTF_8)).toString());
                case "resourcegroup": {
                    ObjectNode rg = F.objectNode();
                    rg.put("id", RESOURCE_GROUP).put("name", "alert-relay").put("location", "westeurope");
                    return rg;
                }
                case "environment": {
                    // the public cloud, as ARM's environment() returns it there
                    ObjectNode env = F.objectNode();
                    env.put("name", "AzureCloud");
                    env.putObject("suffixes").put("storage", "core.windows.net");
                    return env;
                }
                case "subscription": {
                    ObjectNode sub = F.objectNode();
                    sub.put("id", "/subscriptions/" + SUBSCRIPTION).put("subscriptionId", SUBSCRIPTION)
                            .put("tenantId", "11111111-1111-1111-1111-111111111111");
                    return sub;
                }
                case "resourceid": return TextNode.valueOf(RESOURCE_GROUP + "/providers/" + typedPath(a));
                case "subscriptionresourceid": return TextNode.valueOf("/subscriptions/" + SUBSCRIPTION + "/providers/" + typedPath(a));
                case "reference": return TextNode.valueOf("{reference(" + asString(a.get(0)) + ")}");
                default: throw error("function " + name + "() is not evaluated by this test helper");
            }
        }

        /** Microsoft.X/a/b with names n1, n2, n3 -> Microsoft.X/a/n1/b/n2 ... as resourceId() builds it. */
        private String typedPath(List<JsonNode> a) {
            String[] type = a.get(0).asText().split("/");
            StringBuilder sb = new StringBuilder(type[0]);
            for (int k = 1; k < type.length; k++) {
                sb.append('/').append(type[k]).append('/').append(a.get(k).asText());
            }
            return sb.toString();
        }

        private String format(String fmt, List<JsonNode> args) {
            StringBuilder out = new StringBuilder();
            for (int k = 0; k < fmt.length(); k++) {
                char c = fmt.charAt(k);
                if ((c == '{' || c == '}') && k + 1 < fmt.length() && fmt.charAt(k + 1) == c) {
                    out.append(c);
                    k++;
                } else if (c == '{') {
                    int end = fmt.indexOf('}', k);
                    out.append(asString(args.get(Integer.parseInt(fmt.substring(k + 1, end)))));
                    k = end;
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }

        private String string() {
            StringBuilder sb = new StringBuilder();
            i++;
            while (true) {
                if (i >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '\'') {
                    if (i < s.length() && s.charAt(i) == '\'') {
                        sb.append('\'');
                        i++;
                    } else {
                        return sb.toString();
                    }
                } else {
                    sb.append(c);
                }
            }
        }

        private String identifier() {
            skipSpace();
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                i++;
            }
            if (start == i) {
                throw error("identifier expected");
            }
            return s.substring(start, i);
        }

        private void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private boolean peek(char c) {
            skipSpace();
            return i < s.length() && s.charAt(i) == c;
        }

        private boolean accept(char c) {
            if (peek(c)) {
                i++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!accept(c)) {
                throw error("'" + c + "' expected");
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at " + i + " in [" + s + "]");
        }
    }

    private static String join(List<JsonNode> a) {
        StringBuilder sb = new StringBuilder();
        a.forEach(x -> sb.append(asString(x)).append('\u0000'));
        return sb.toString();
    }

    private static String hash(List<JsonNode> a) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(join(a).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
