package io.alertrelay.domain;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.databind.JsonNode;
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
     * <ul>
     *   <li>duplicate keys are rejected: a webhook body with two values for one key is ambiguous, and Azure never
     *       sends one;</li>
     *   <li>floats are kept as exact decimals (trailing zeros included), so {@code data.payload} re-serialises as
     *       Azure wrote it ({@code 8000.0} stays {@code 8000.0}, never {@code 8E+3});</li>
     *   <li>unknown properties are ignored when reading our own events back, so a newer writer never makes an older
     *       reader drop messages;</li>
     *   <li>the CloudEvents module (de)serialises {@code io.cloudevents.CloudEvent} in structured JSON mode;</li>
     *   <li>{@code java.time} values are ISO-8601 text.</li>
     * </ul>
     */
    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .addModule(JsonFormat.getCloudEventJacksonModule())
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

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
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
