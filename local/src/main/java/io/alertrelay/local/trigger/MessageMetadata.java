package io.alertrelay.local.trigger;

import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.local.host.HostData;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trigger metadata the Functions host gives a Service Bus triggered function, by the names a
 * {@code @BindingName} parameter uses ("Message metadata",
 * https://learn.microsoft.com/azure/azure-functions/functions-bindings-service-bus-trigger#message-metadata):
 * numbers as the protocol's int, times and ids as strings, ApplicationProperties as JSON.
 */
public final class MessageMetadata {

    private static final ObjectMapper JSON = new ObjectMapper();

    private MessageMetadata() {
    }

    public static Map<String, HostData> of(ServiceBusReceivedMessage m) {
        Map<String, HostData> md = new LinkedHashMap<>();
        text(md, "MessageId", m.getMessageId());
        // The AMQP header counts earlier failed deliveries (0 first); the host's DeliveryCount, like .NET's
        // ServiceBusReceivedMessage, counts this one too (1 first) — and MAX_DELIVERY_COUNT is compared to it.
        md.put("DeliveryCount", new HostData.Int(m.getDeliveryCount() + 1));
        md.put("SequenceNumber", new HostData.Int(m.getSequenceNumber()));
        text(md, "ContentType", m.getContentType());
        text(md, "CorrelationId", m.getCorrelationId());
        text(md, "Subject", m.getSubject());
        text(md, "Label", m.getSubject());
        text(md, "SessionId", m.getSessionId());
        text(md, "LockToken", m.getLockToken());
        time(md, "EnqueuedTimeUtc", m.getEnqueuedTime());
        time(md, "ExpiresAtUtc", m.getExpiresAt());
        Map<String, Object> props = new LinkedHashMap<>();
        m.getApplicationProperties().forEach((k, v) -> props.put(k, v == null ? null : v.toString()));
        md.put("ApplicationProperties", json(props));
        md.put("UserProperties", json(props));
        return md;
    }

    private static void text(Map<String, HostData> md, String name, String value) {
        if (value != null) {
            md.put(name, new HostData.Text(value));
        }
    }

    private static void time(Map<String, HostData> md, String name, OffsetDateTime value) {
        if (value != null) {
            md.put(name, new HostData.Text(value.toInstant().toString()));
        }
    }

    private static HostData json(Map<String, Object> value) {
        try {
            return new HostData.Json(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
