package io.alertrelay.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonCloudEventData;
import io.cloudevents.jackson.JsonFormat;
import java.io.IOException;
import java.net.URI;
import java.time.ZoneOffset;

/**
 * Writes a {@link PlatformEvent} as a CloudEvents 1.0 event in structured JSON mode and reads it back (DESIGN §3),
 * with the CloudEvents Java SDK. The JSON is the bus message body and what the platform endpoint receives.
 *
 * <p>Attributes: {@code specversion}, {@code id}, {@code source}, {@code type}, {@code time}, {@code subject}
 * (omitted when the event has none), the extension {@code tenant}, {@code datacontenttype} application/json and
 * {@code data}: the {@link AlertData} as a JSON object with every field present, nulls included, so the platform
 * always sees the same shape. Thread-safe; writing then reading gives an equal event.
 */
public final class PlatformEventCodec {

    /** The media type of the serialised event (structured mode). */
    public static final String CONTENT_TYPE = JsonFormat.CONTENT_TYPE;
    /** The media type of {@code data}. */
    public static final String DATA_CONTENT_TYPE = "application/json";
    /** The CloudEvents extension attribute that carries the tenant. */
    public static final String TENANT_EXTENSION = "tenant";

    private PlatformEventCodec() {
    }

    /** The event as UTF-8 {@code application/cloudevents+json}. */
    public static byte[] toJson(PlatformEvent event) {
        JsonNode data = Json.MAPPER.valueToTree(event.data());
        CloudEvent cloudEvent = CloudEventBuilder.v1()
                .withId(event.id())
                .withSource(URI.create(event.source()))
                .withType(event.type().value())
                .withTime(event.time().atOffset(ZoneOffset.UTC))
                .withSubject(event.subject())
                .withExtension(TENANT_EXTENSION, event.tenant())
                .withData(DATA_CONTENT_TYPE, JsonCloudEventData.wrap(data))
                .build();
        try {
            return Json.MAPPER.writeValueAsBytes(cloudEvent);
        } catch (JsonProcessingException e) {
            // a tree of our own records always serialises; failing here is a bug, not bad input
            throw new IllegalStateException("cannot serialise platform event " + event.id(), e);
        }
    }

    /**
     * Reads an event written by {@link #toJson}.
     *
     * @throws UnreadableEventException when the bytes are not such an event
     */
    public static PlatformEvent fromJson(byte[] json) {
        return fromTree(readTree(json));
    }

    /**
     * The JSON tree of a message body, for {@link #fromTree}: a reader that needs the event's tree as well (the
     * dequeuer stores it) reads the body once.
     *
     * @throws UnreadableEventException when the bytes are not JSON
     */
    public static JsonNode readTree(byte[] json) {
        if (json == null || json.length == 0) {
            throw unreadable("the message is empty", null);
        }
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException | RuntimeException e) {
            throw unreadable("not a CloudEvents JSON event (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /**
     * Reads an event written by {@link #toJson} from its JSON tree.
     *
     * @throws UnreadableEventException when the tree is not such an event
     */
    public static PlatformEvent fromTree(JsonNode json) {
        CloudEvent cloudEvent = readCloudEvent(json);
        String tenant = require(cloudEvent.getExtension(TENANT_EXTENSION) instanceof String t ? t : null,
                "the 'tenant' extension");
        require(cloudEvent.getTime(), "'time'");
        if (cloudEvent.getSpecVersion() != SpecVersion.V1) {
            throw unreadable("specversion is " + cloudEvent.getSpecVersion() + ", expected 1.0", null);
        }
        PlatformEvent event;
        try {
            event = new PlatformEvent(cloudEvent.getId(), EventType.fromValue(cloudEvent.getType()), tenant,
                    cloudEvent.getTime().toInstant(), cloudEvent.getSubject(), readData(cloudEvent));
        } catch (IllegalArgumentException e) {
            throw unreadable(e.getMessage(), e);
        }
        if (!event.source().equals(String.valueOf(cloudEvent.getSource()))) {
            throw unreadable("source does not match tenant '" + tenant + "'", null);
        }
        return event;
    }

    private static CloudEvent readCloudEvent(JsonNode json) {
        try {
            return Json.MAPPER.treeToValue(json, CloudEvent.class);
        } catch (IOException | RuntimeException e) {
            throw unreadable("not a CloudEvents JSON event (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static AlertData readData(CloudEvent cloudEvent) {
        if (!(cloudEvent.getData() instanceof JsonCloudEventData data) || !data.getNode().isObject()) {
            throw unreadable("'data' is not a JSON object", null);
        }
        try {
            return Json.MAPPER.treeToValue(data.getNode(), AlertData.class);
        } catch (JsonProcessingException e) {
            throw unreadable("'data' is not alert data (" + e.getOriginalMessage() + ")", e);
        }
    }

    private static <T> T require(T value, String what) {
        if (value == null) {
            throw unreadable("missing " + what, null);
        }
        return value;
    }

    private static UnreadableEventException unreadable(String reason, Throwable cause) {
        return new UnreadableEventException("Unreadable platform event: " + reason + ".", cause);
    }
}
