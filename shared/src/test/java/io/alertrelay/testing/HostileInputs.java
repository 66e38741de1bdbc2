package io.alertrelay.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The hostile inputs of issue 12 (points 1–4 and 6), each one of Microsoft's fixtures with one field made hostile, and
 * the answer each must get. Shared by the use-case tests and the test over the real local HTTP host.
 *
 * <p>Bodies stay under the default {@code MAX_BODY_BYTES} (1 MiB), so each one reaches the parser and the normaliser
 * rather than being refused for its size at the door.
 */
public final class HostileInputs {

    /** One hostile request and the answer it must get: a status and, for a 4xx, the problem type it names. */
    public record Case(String name, byte[] body, int status, String problem, String field) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MIB = 1024 * 1024;
    /** A field as long as a 1 MiB body allows once the rest of the fixture is around it. */
    private static final int NEARLY_MIB = MIB - 8 * 1024;
    private static final String MARKER = "__hostile__";

    private HostileInputs() {
    }

    public static List<Case> all() {
        return List.of(
                // 1. redaction: shapes the secret-looking patterns look for, in a field that is logged (alertRule)
                new Case("alertRule of 80,000 × eyJ (240 KB)", commonWith("alertRule", "eyJ".repeat(80_000)),
                        202, null, null),
                new Case("alertRule of 'token ' and 200,000 base64 characters",
                        commonWith("alertRule", "token " + "QUJD".repeat(50_000)), 202, null, null),
                new Case("alertRule of 40,000 × '://a:'", commonWith("alertRule", "://a:".repeat(40_000)),
                        202, null, null),
                new Case("alertRule of 'SharedAccessKey=' × 12,000",
                        commonWith("alertRule", "SharedAccessKey=".repeat(12_000)), 202, null, null),
                new Case("alertRule of 'eyJhbGci.' × 25,000", commonWith("alertRule", "eyJhbGci.".repeat(25_000)),
                        202, null, null),
                new Case("alertRule of 1 MiB × eyJ", commonWith("alertRule", "eyJ".repeat(NEARLY_MIB / 3)),
                        413, "payload-too-large", "alertRule"),
                // 2. deep nesting
                new Case("depth 998 inside customProperties", commonWithRaw("customProperties", nestedArrays(998)),
                        400, "nesting-too-deep", null),
                new Case("unknown shape at depth 1000", nestedObjects(1000), 400, "nesting-too-deep", null),
                new Case("500,000 opening brackets", nestedArrays(500_000).getBytes(StandardCharsets.UTF_8),
                        400, "nesting-too-deep", null),
                // 3. long numbers
                new Case("autoscale newCapacity of 400,000 digits as a string",
                        autoscaleWith("9".repeat(400_000), true), 400, "number-too-long", null),
                new Case("autoscale newCapacity of 400,000 digits as a number",
                        autoscaleWith("9".repeat(400_000), false), 400, "number-too-long", null),
                // ... or its exponent overflows (found by the fuzzing: Jackson's NumberFormatException escaped)
                new Case("a number whose exponent overflows", commonWithRaw("customProperties", "1e9999999999"),
                        400, "number-out-of-range", null),
                // 4. too large even claim-checked
                new Case("description of 300 KB", commonWith("description", "d".repeat(300 * 1024)),
                        413, "payload-too-large", "description"),
                // a field the message also carries as an application property: the property is cut and made valid
                // Unicode (found by the fuzzing: a lone surrogate made the SDK refuse the message on every retry)
                new Case("monitoringService of 130 KB", commonWith("monitoringService", "m".repeat(130 * 1024)),
                        202, null, null),
                new Case("monitoringService with a lone surrogate",
                        commonWithRaw("monitoringService", "\"Platform \\ud800\""), 202, null, null),
                // 6. severity overflow: accepted, with a null severity
                new Case("severity 4294967298", commonWithRaw("severity", "4294967298"), 202, null, null));
    }

    /** The common-schema metric fixture with {@code data.essentials.<field>} (or {@code data.<field>}) set. */
    public static byte[] commonWith(String field, String value) {
        ObjectNode body = fixture("test-metric-static.json");
        target(body, field).put(field, value);
        return write(body);
    }

    /** As {@link #commonWith}, with the field's value as raw JSON text. */
    public static byte[] commonWithRaw(String field, String rawJson) {
        ObjectNode body = fixture("test-metric-static.json");
        target(body, field).put(field, MARKER);
        return splice(body, rawJson);
    }

    /** The autoscale fixture with {@code context.newCapacity} set to these digits, as a string or a number. */
    public static byte[] autoscaleWith(String digits, boolean asString) {
        ObjectNode body = fixture("autoscale-scale-out.json");
        ((ObjectNode) body.get("context")).put("newCapacity", MARKER);
        return splice(body, asString ? "\"" + digits + "\"" : digits);
    }

    /** {@code [[[…]]]}, depth levels. */
    public static String nestedArrays(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    /** {@code {"a":{"a":…1…}}}, depth levels: a JSON object of no known shape. */
    public static byte[] nestedObjects(int depth) {
        return ("{\"a\":".repeat(depth) + "1" + "}".repeat(depth)).getBytes(StandardCharsets.UTF_8);
    }

    private static ObjectNode target(ObjectNode body, String field) {
        ObjectNode data = (ObjectNode) body.get("data");
        return field.equals("customProperties") ? data : (ObjectNode) data.get("essentials");
    }

    private static ObjectNode fixture(String name) {
        try {
            return (ObjectNode) JSON.readTree(Fixtures.bytes(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] splice(ObjectNode body, String rawJson) {
        String text = new String(write(body), StandardCharsets.UTF_8);
        return text.replace("\"" + MARKER + "\"", rawJson).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] write(ObjectNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
