package io.alertrelay.domain;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.cloudevents.jackson.JsonFormat;

/**
 * The one ObjectMapper of the domain. It is configured once here and never changed afterwards, which is what makes
 * it safe to share between threads.
 */
public final class Json {

    /**
     * How deep a notification may nest objects and arrays. Azure Monitor's deepest shape nests about 8 levels; 128 is
     * also Cosmos DB's limit for a document. Far below {@link #MAX_DEPTH}: an accepted notification is written again
     * wrapped in the event ({@code data.payload}: 2 levels more; an embedded document such as Service Health's
     * {@code impactedServices} under {@code data.health}: 3 more), and anything accepted must be writable with its
     * wrapping, or its message could never be sent (issue 12: depth 998 answered 503 for ever).
     */
    public static final int MAX_NOTIFICATION_DEPTH = 128;

    /**
     * The longest number a notification may hold, in characters, whether written as a JSON number or as a string in
     * a field that is a number (an autoscale capacity). Parsing a number costs time quadratic in its length (a
     * 400,000-digit capacity took over 3 s); no Azure Monitor number is longer than about 30 characters.
     */
    public static final int MAX_NUMBER_LENGTH = 1_000;

    /** How deep the JSON that we write, and read back (events, stored documents), may nest. */
    static final int MAX_DEPTH = 1_000;

    /**
     * The longest number we read back from JSON that we wrote. More than {@link #MAX_NUMBER_LENGTH}: a decimal is
     * written as Java spells it, which may be a few characters longer than the notification spelled it
     * ({@code 12E3} is written {@code 1.2E+4}).
     */
    static final int MAX_WRITTEN_NUMBER_LENGTH = 2 * MAX_NUMBER_LENGTH;

    /**
     * <ul>
     *   <li>duplicate keys are rejected: a webhook body with two values for one key is ambiguous, and Azure never
     *       sends one;</li>
     *   <li>floats are kept as exact decimals (trailing zeros included), so {@code data.payload} re-serialises as
     *       Azure wrote it ({@code 8000.0} stays {@code 8000.0}, never {@code 8E+3});</li>
     *   <li>unknown properties are ignored when reading our own events back, so a newer writer never makes an older
     *       reader drop messages;</li>
     *   <li>nesting is bounded by {@link #MAX_DEPTH} when writing and when reading, so whatever we wrote we can read;
     *       notifications are read with the tighter {@link #NOTIFICATIONS} limits;</li>
     *   <li>the CloudEvents module (de)serialises {@code io.cloudevents.CloudEvent} in structured JSON mode;</li>
     *   <li>{@code java.time} values are ISO-8601 text.</li>
     * </ul>
     */
    static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .maxNumberLength(MAX_WRITTEN_NUMBER_LENGTH)
                            .build())
                    .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .addModule(JsonFormat.getCloudEventJacksonModule())
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    /**
     * The parsers of what others send us (a webhook body, JSON embedded in one of its strings): duplicate keys
     * refused, at most {@link #MAX_NOTIFICATION_DEPTH} levels, numbers of at most {@link #MAX_NUMBER_LENGTH}
     * characters. Read trees from them with {@link #MAPPER}'s readers.
     */
    static final JsonFactory NOTIFICATIONS = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NOTIFICATION_DEPTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .build())
            .build();

    /** Reads one value and leaves the parser after it, so the caller decides what trailing content means. */
    static final ObjectReader SINGLE_VALUE = MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    /** {@code value} as compact JSON text: maps, lists, records and JsonNodes of our own making. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** As {@link #write(Object)}, UTF-8 bytes. */
    public static byte[] writeBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Writes {@code value} to {@code out} and leaves {@code out} open (a sink writes many rows to one stream). */
    public static void writeTo(OutputStream out, Object value) throws IOException {
        MAPPER.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(out, value);
    }

    /**
     * JSON that we wrote ourselves (a stored event, a claim-checked payload), read back exactly: decimals as written,
     * trailing zeros kept, duplicate keys refused.
     *
     * @throws IllegalArgumentException when it is not JSON
     */
    public static JsonNode readTree(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getClass().getSimpleName(), e);
        }
    }

    /** As {@link #readTree(byte[])}, from text. */
    public static JsonNode readTree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getClass().getSimpleName(), e);
        }
    }

    /** A value of ours (a record) read back from JSON we wrote. */
    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + e.getClass().getSimpleName(), e);
        }
    }

    /** An empty object node, to build documents with. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /**
     * Parses JSON that Azure embeds as a string inside a notification (e.g. Service Health's
     * {@code impactedServices}); null when the text is not JSON, because such a field is a detail, not a reason to
     * reject the notification.
     */
    public static JsonNode parseEmbedded(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        // a notification's limits: the result is placed inside the event, so it must be as writable as the rest
        try (JsonParser parser = NOTIFICATIONS.createParser(text)) {
            JsonNode value = SINGLE_VALUE.readTree(parser);
            return value == null || value.isMissingNode() || parser.nextToken() != null ? null : value;
        } catch (IOException | RuntimeException e) {
            // not JSON, beyond the limits, or a number no decimal holds (1e9999999999: NumberFormatException)
            return null;
        }
    }
}
