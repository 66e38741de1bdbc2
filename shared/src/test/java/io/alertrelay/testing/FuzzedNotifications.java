package io.alertrelay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Webhook requests for property-based tests (issue 12, point 11): Microsoft's fixtures, verbatim, as seeds, each put
 * through up to three mutations — truncation, byte flips, deep nesting, type swaps, huge strings and numbers, Unicode
 * edge cases (lone surrogates, BOMs, UTF-16 and UTF-32, invalid UTF-8), duplicate keys — and sent with an odd
 * Content-Type now and then.
 *
 * <p>Every mutation is a record of a few numbers drawn from the try's seeded random ({@link Fuzz}), so a failure
 * names it readably; positions are fractions of what there is (the n-th node, the n-th byte), so a mutation applies to
 * any body. A mutation that needs a JSON tree does nothing to a body that is no longer JSON (or nested beyond 1,000
 * levels, which this test parser refuses).
 */
public final class FuzzedNotifications {

    /** One fuzzed request: the seed fixture, the mutations applied in order, the Content-Type (null: none). */
    public record Request(String seed, List<Mutation> mutations, String contentType, byte[] body) {

        @Override
        public String toString() {
            return seed + " " + mutations + " as " + contentType + " (" + body.length + " bytes)";
        }
    }

    /** One change to a body. */
    public sealed interface Mutation {
        byte[] apply(byte[] body);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MARKER = "__fuzz_marker_7c1e__";
    private static final byte[] RAW_MARKER = "__fuzz_raw_7c1e__".getBytes(StandardCharsets.UTF_8);
    private static final int MIB = 1024 * 1024;

    private FuzzedNotifications() {
    }

    /** Requests as described above: a generator for {@link Fuzz#forAll}. */
    public static Function<SplittableRandom, Request> requests() {
        Map<String, byte[]> seeds = seeds();
        List<String> names = seeds.keySet().stream().sorted().toList();
        return random -> {
            String name = names.get(random.nextInt(names.size()));
            List<Mutation> changes = new ArrayList<>();
            for (int n = uniform(random, 0, 3); n > 0; n--) {
                changes.add(mutation(random));
            }
            String contentType = contentType(random);
            byte[] body = seeds.get(name);
            for (Mutation m : changes) {
                body = m.apply(body);
            }
            return new Request(name, List.copyOf(changes), contentType, body);
        };
    }

    /** Mostly JSON, sometimes none, sometimes odd or plainly not JSON. All printable ASCII (HTTP clients refuse more). */
    public static String contentType(SplittableRandom random) {
        return frequency(random,
                weight(6, r -> "application/json"),
                weight(1, r -> null),
                weight(3, r -> oneOf(r,
                        "application/json; charset=utf-8", "application/json; charset=utf-16",
                        "application/json; charset=iso-8859-1", "APPLICATION/JSON", "application/json;",
                        "application/json;;; charset=\"utf-8\"", " application/json ", "application/cloudevents+json",
                        "application/vnd.azure+json; v=2", "+json", "application/", "text/json", "text/plain",
                        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "*/*", "",
                        "application/json, text/plain", "application/jsonp", "json")));
    }

    /** The fixtures, verbatim (the published invalid one included). */
    public static Map<String, byte[]> seeds() {
        try (Stream<Path> files = Files.list(Fixtures.directory())) {
            return files.filter(p -> p.toString().endsWith(".json"))
                    .collect(java.util.stream.Collectors.toMap(p -> p.getFileName().toString(), p -> read(p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Mutation mutation(SplittableRandom random) {
        return frequency(random,
                weight(1, r -> new Truncate(where(r))),
                weight(1, r -> new FlipBytes(wheres(r, uniform(r, 1, 8)), uniform(r, 1, 255))),
                weight(2, r -> new Nest(where(r), depth(r), r.nextBoolean())),
                weight(3, r -> new SwapType(where(r), uniform(r, 0, SwapType.KINDS - 1))),
                weight(3, r -> new HugeString(where(r), stringLength(r),
                        uniform(r, 0, HugeString.ALPHABETS.length - 1))),
                weight(2, r -> new HugeNumber(where(r), digits(r), uniform(r, 0, HugeNumber.FORMS - 1),
                        r.nextBoolean())),
                weight(2, r -> new Unicode(where(r), uniform(r, 0, Unicode.KINDS - 1))),
                weight(1, r -> new DuplicateKey(where(r))),
                weight(3, r -> new TrickyValue(where(r), uniform(r, 0, TrickyValue.VALUES.length - 1))));
    }

    /** String lengths: mostly short, often around the message limit (claim-check), sometimes past 1 MiB. */
    private static int stringLength(SplittableRandom random) {
        return frequency(random,
                weight(3, r -> uniform(r, 0, 1_000)),
                weight(3, r -> uniform(r, 100_000, 300_000)),
                weight(1, r -> uniform(r, 300_000, 1_200_000)));
    }

    /** Depths: small, around the limit (128), and beyond it, up to past this test parser's 1,000. */
    private static int depth(SplittableRandom random) {
        return frequency(random,
                weight(3, r -> uniform(r, 1, 20)),
                weight(2, r -> uniform(r, 120, 135)),
                weight(1, r -> uniform(r, 135, 1_500)),
                weight(1, r -> uniform(r, 990, 1_010)));
    }

    /** Number lengths: small, long, and around the limit (1,000 characters). */
    private static int digits(SplittableRandom random) {
        return frequency(random,
                weight(3, r -> uniform(r, 1, 40)),
                weight(1, r -> uniform(r, 40, 2_000)),
                weight(1, r -> uniform(r, 990, 1_010)));
    }

    /** A position as a fraction in [0, 1]: uniform, and now and then exactly 0 or 1 (the edges). */
    private static double where(SplittableRandom random) {
        int edge = random.nextInt(40);
        return edge == 0 ? 0 : edge == 1 ? 1 : random.nextDouble();
    }

    private static List<Double> wheres(SplittableRandom random, int count) {
        List<Double> at = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            at.add(where(random));
        }
        return List.copyOf(at);
    }

    /** Between min and max, both included, each as likely. */
    private static int uniform(SplittableRandom random, int min, int max) {
        return random.nextInt(min, max + 1);
    }

    @SafeVarargs
    private static <T> T oneOf(SplittableRandom random, T... values) {
        return values[random.nextInt(values.length)];
    }

    /** One way to draw a value, and how often to use it relative to the others. */
    private record Weighted<T>(int weight, Function<SplittableRandom, T> draw) {
    }

    private static <T> Weighted<T> weight(int weight, Function<SplittableRandom, T> draw) {
        return new Weighted<>(weight, draw);
    }

    /** A value drawn by one of {@code choices}, picked in proportion to its weight. */
    @SafeVarargs
    private static <T> T frequency(SplittableRandom random, Weighted<T>... choices) {
        int roll = random.nextInt(Arrays.stream(choices).mapToInt(Weighted::weight).sum());
        for (Weighted<T> choice : choices) {
            roll -= choice.weight();
            if (roll < 0) {
                return choice.draw().apply(random);
            }
        }
        throw new AssertionError("unreachable");
    }

    /** The first {@code at} of the body. */
    public record Truncate(double at) implements Mutation {
        @Override
        public byte[] apply(byte[] body) {
            return Arrays.copyOf(body, (int) (body.length * at));
        }
    }

    /** XOR {@code mask} into the bytes at these positions. */
    public record FlipBytes(List<Double> at, int mask) implements Mutation {
        @Override
        public byte[] apply(byte[] body) {
            byte[] out = body.clone();
            for (double w : at) {
                if (out.length > 0) {
                    int i = Math.min(out.length - 1, (int) (out.length * w));
                    out[i] = (byte) (out[i] ^ mask);
                }
            }
            return out;
        }
    }

    /** Wraps one node in {@code depth} arrays or single-member objects. */
    public record Nest(double which, int depth, boolean arrays) implements Mutation {
        @Override
        public byte[] apply(byte[] body) {
            return replaceNode(body, which, node -> {
                String inner = write(node);
                return arrays ? "[".repeat(depth) + inner + "]".repeat(depth)
                        : "{\"n\":".repeat(depth) + inner + "}".repeat(depth);
            });
        }
    }

    /** Replaces one node with a value of another type. */
    public record SwapType(double which, int kind) implements Mutation {
        static final int KINDS = 12;

        @Override
        public byte[] apply(byte[] body) {
            return replaceNode(body, which, node -> switch (kind) {
                case 0 -> "null";
                case 1 -> "true";
                case 2 -> "0";
                case 3 -> "\"\"";
                case 4 -> "{}";
                case 5 -> "[]";
                case 6 -> "-1.50";
                case 7 -> write(TextNode.valueOf(write(node))); // the node as a string of JSON
                case 8 -> "[" + write(node) + "]";
                case 9 -> "{\"value\":" + write(node) + "}";
                case 10 -> "\"Sev3\"";
                default -> "\"2019-03-22T13:58:24.3713213Z\"";
            });
        }
    }

    /** Replaces one node with a string of {@code length} characters drawn from one alphabet. */
    public record HugeString(double which, int length, int alphabet) implements Mutation {
        static final String[] ALPHABETS = {"x", "eyJ", "QUJD+/==", "token ", "://a:", "sig=", "SharedAccessKey=",
            "whsec_", "Bearer ", "é", "\uD83D\uDE00", "\u202E", "\\", "\"", " ", "\n", "<td>", "\u0000", "\uFFFF",
            "+999999999-12-31T23:59:59.999999999Z", "Sev4294967298", "1/1/0001 12:00:00 AM"};

        @Override
        public byte[] apply(byte[] body) {
            String unit = ALPHABETS[alphabet];
            String text = unit.repeat(Math.max(1, length / unit.length()));
            return replaceNode(body, which, node -> write(TextNode.valueOf(text.substring(0,
                    Math.min(text.length(), Math.max(length, 0))))));
        }
    }

    /** Replaces one node with a number of about {@code digits} digits in one of several forms, or its string. */
    public record HugeNumber(double which, int digits, int form, boolean asString) implements Mutation {
        static final int FORMS = 12;

        @Override
        public byte[] apply(byte[] body) {
            String nines = "9".repeat(digits);
            String number = switch (form) {
                case 0 -> nines;
                case 1 -> "-" + nines;
                case 2 -> "0." + "0".repeat(digits) + "1";
                case 3 -> "1e" + nines.substring(0, Math.min(digits, 12));
                case 4 -> "1E-" + nines.substring(0, Math.min(digits, 12));
                case 5 -> "1" + "0".repeat(Math.max(0, digits - 4)) + "E3";
                case 6 -> "-0";
                case 7 -> "-0.0" + "0".repeat(Math.min(digits, 50));
                case 8 -> "4294967298";
                case 9 -> "18446744073709551617";
                case 10 -> "1." + "0".repeat(digits);
                default -> "2147483648";
            };
            String raw = asString ? "\"" + number + "\"" : number;
            return replaceNode(body, which, node -> raw);
        }
    }

    /** One Unicode edge case: lone surrogates, BOMs, other encodings, invalid UTF-8, control characters. */
    public record Unicode(double which, int kind) implements Mutation {
        static final int KINDS = 14;

        @Override
        public byte[] apply(byte[] body) {
            return switch (kind) {
                case 0 -> intoString(body, which, "\"lone \\ud800 high\"".getBytes(StandardCharsets.UTF_8));
                case 1 -> intoString(body, which, "\"\\udc00 lone low\"".getBytes(StandardCharsets.UTF_8));
                case 2 -> intoString(body, which, bytes("\"cesu ", 0xED, 0xA0, 0x80, " raw\""));
                case 3 -> concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, body);
                case 4 -> insertAt(body, which, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
                case 5 -> concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, reencode(body, StandardCharsets.UTF_16BE));
                case 6 -> reencode(body, StandardCharsets.UTF_16LE);
                case 7 -> reencode(body, Charset.forName("UTF-32BE"));
                case 8 -> insertAt(body, which, new byte[] {(byte) 0xFF});
                case 9 -> intoString(body, which, bytes("\"overlong ", 0xC0, 0x80, "\""));
                case 10 -> intoString(body, which, bytes("\"cut ", 0xE2, 0x82, "\""));
                case 11 -> intoString(body, which, bytes("\"control ", 0x01, "\""));
                case 12 -> intoString(body, which, "\"\\u0000 \\uffff \\ufeff\"".getBytes(StandardCharsets.UTF_8));
                default -> intoString(body, which, "\"\uD83D\uDE00\u0301\u202E\"".getBytes(StandardCharsets.UTF_8));
            };
        }
    }

    /**
     * Replaces one string with a value that a reader of Azure's fields could trip on: times at the ends of what Java
     * holds, odd offsets and leap seconds, severities and conditions spelled oddly, schema ids, odd resource ids,
     * JSON inside a string.
     */
    public record TrickyValue(double which, int value) implements Mutation {
        static final String[] VALUES = {
            "\"+999999999-12-31T23:59:59.999999999Z\"", "\"-999999999-01-01T00:00:00Z\"",
            "\"+999999999-12-31T23:59:59-18:00\"", "\"-999999999-01-01T00:00:00+18:00\"",
            "\"0000-01-01T00:00:00Z\"", "\"2016-12-31T23:59:60Z\"", "\"2019-02-29T00:00:00Z\"",
            "\"2019-03-22T13:58:24.3713213+14:00\"", "\"2019-03-22T13:58:24.1234567891Z\"",
            "\"1/1/0001 12:00:00 AM\"", "\"12/31/9999 11:59:59.9999999 PM\"", "\"Fri, 31 Dec 9999 23:59:59 GMT\"",
            "\"9999-12-31\"", "\"2019-03-22T13:58:24\"", "\"Sev4294967298\"", "\"4294967298\"", "\" sev 3 \"",
            "\"SEV\u0663\"", "\"Sev-1\"", "\"Resolved\"", "\"DEACTIVATED\"", "\"Activated\"",
            "\"azureMonitorCommonAlertSchema\"", "\"Microsoft.Insights/activityLogs\"",
            "\"AzureMonitorMetricAlert\"", "\"Microsoft.Insights/LogAlert\"", "\"AIP Budget Notification\"",
            "\"Scale Out\"", "\"Microsoft.Insights/AutoscaleSettings/Scaleup/Action\"",
            "\"Microsoft.Resources/deployments/write\"", "\"/\"", "\"//\"", "\"/subscriptions/\"",
            "\"/SUBSCRIPTIONS/\u0130\u0131/resourceGroups/rg\"", "\"[{\\\"ServiceName\\\":1}]\"",
            "\"[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]\"", "\"$1,111.11\"", "\"1e400\"", "\"-0\"", "\"NaN\"",
            "\"Infinity\"", "\"\"", "\" \"", "\"alertrelay-probe\""};

        @Override
        public byte[] apply(byte[] body) {
            return replaceNode(body, which, s -> s.node().isTextual() && s.parent() != null, node -> VALUES[value]);
        }
    }

    /** Gives one object a second member under the name of one it has. */
    public record DuplicateKey(double which) implements Mutation {
        @Override
        public byte[] apply(byte[] body) {
            JsonNode root = parse(body);
            if (root == null) {
                return body;
            }
            List<ObjectNode> objects = new ArrayList<>();
            for (Slot slot : slots(root)) {
                if (slot.node().isObject() && !slot.node().isEmpty()) {
                    objects.add((ObjectNode) slot.node());
                }
            }
            if (objects.isEmpty()) {
                return body;
            }
            ObjectNode target = objects.get(Math.min(objects.size() - 1, (int) (objects.size() * which)));
            String name = target.fieldNames().next();
            target.put(MARKER, "duplicate");
            return write(root).replace("\"" + MARKER + "\"", write(TextNode.valueOf(name)))
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    /** A place in a tree: the node, and how to replace it (null for the root). */
    private record Slot(JsonNode node, JsonNode parent, String field, int index) {
    }

    /**
     * The body with one of its nodes (the {@code which}-th, root included, in depth-first order) replaced by raw JSON
     * text; the body unchanged when it is not JSON this parser reads.
     */
    private static byte[] replaceNode(byte[] body, double which, Function<JsonNode, String> raw) {
        return replaceNode(body, which, slot -> true, raw);
    }

    /** As above, among the nodes {@code eligible} accepts; the body unchanged when there is none. */
    private static byte[] replaceNode(byte[] body, double which, Predicate<Slot> eligible,
                                      Function<JsonNode, String> raw) {
        JsonNode root = parse(body);
        if (root == null) {
            return body;
        }
        List<Slot> slots = slots(root).stream().filter(eligible).toList();
        if (slots.isEmpty()) {
            return body;
        }
        Slot slot = slots.get(Math.min(slots.size() - 1, (int) (slots.size() * which)));
        String replacement = raw.apply(slot.node());
        if (slot.parent() == null) {
            return replacement.getBytes(StandardCharsets.UTF_8);
        }
        if (slot.parent() instanceof ObjectNode o) {
            o.put(slot.field(), MARKER);
        } else {
            ((ArrayNode) slot.parent()).set(slot.index(), TextNode.valueOf(MARKER));
        }
        return write(root).replace("\"" + MARKER + "\"", replacement).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * One string value replaced by raw bytes that need not be UTF-8 or valid JSON; bytes inserted anywhere when the
     * body is not JSON.
     */
    private static byte[] intoString(byte[] body, double which, byte[] rawString) {
        if (parse(body) == null) {
            return insertAt(body, which, rawString);
        }
        byte[] marked = replaceNode(body, which, s -> s.node().isTextual() && s.parent() != null,
                node -> new String(RAW_MARKER, StandardCharsets.UTF_8));
        return spliceBytes(marked, RAW_MARKER, rawString);
    }

    private static List<Slot> slots(JsonNode root) {
        List<Slot> slots = new ArrayList<>();
        Deque<Slot> todo = new ArrayDeque<>();
        todo.push(new Slot(root, null, null, -1));
        while (!todo.isEmpty()) {
            Slot slot = todo.pop();
            slots.add(slot);
            JsonNode node = slot.node();
            if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    todo.push(new Slot(field.getValue(), node, field.getKey(), -1));
                }
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    todo.push(new Slot(node.get(i), node, null, i));
                }
            }
        }
        return slots;
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node == null || node.isMissingNode() ? null : node;
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] reencode(byte[] body, Charset charset) {
        return new String(body, StandardCharsets.UTF_8).getBytes(charset);
    }

    private static byte[] insertAt(byte[] body, double where, byte[] bytes) {
        int at = Math.min(body.length, (int) (body.length * where));
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + bytes.length);
        out.write(body, 0, at);
        out.write(bytes, 0, bytes.length);
        out.write(body, at, body.length - at);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The first occurrence of {@code marker} in {@code text} replaced by {@code raw}. */
    private static byte[] spliceBytes(byte[] text, byte[] marker, byte[] raw) {
        for (int i = 0; i + marker.length <= text.length; i++) {
            if (Arrays.equals(text, i, i + marker.length, marker, 0, marker.length)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(text.length + raw.length);
                out.write(text, 0, i);
                out.write(raw, 0, raw.length);
                out.write(text, i + marker.length, text.length - i - marker.length);
                return out.toByteArray();
            }
        }
        return text;
    }

    /** Text and raw byte values, in order, as bytes. */
    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            } else {
                out.write((Integer) part);
            }
        }
        return out.toByteArray();
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a body is larger than the default MAX_BODY_BYTES (for statistics). */
    public static boolean overMebibyte(byte[] body) {
        return body.length > MIB;
    }
}
