package io.alertrelay.local.host;

import com.microsoft.azure.functions.HttpMethod;
import java.net.URI;
import java.util.Map;

/**
 * What the Functions host sends the Java worker for one binding or metadata value: the {@code TypedData} of the
 * worker protocol (FunctionRpc.proto), of which the worker then makes the parameter's Java type
 * ({@link WorkerTypeConversion}).
 */
public sealed interface HostData {

    record Text(String value) implements HostData {
    }

    record Bytes(byte[] value) implements HostData {
    }

    /** A whole number (the protocol's {@code int}, 64 bits). */
    record Int(long value) implements HostData {
    }

    /** JSON text, e.g. a trigger's ApplicationProperties or an HTTP request's Query and Headers. */
    record Json(String value) implements HostData {
    }

    /** An HTTP request; its body is itself Text, Bytes or NotSet, as the trigger's dataType decides. */
    record Http(HttpMethod method, URI uri, Map<String, String> headers, Map<String, String> query, HostData body)
            implements HostData {
    }

    /** No value (an HTTP request without a body). */
    record NotSet() implements HostData {
    }

    /** A message body as the host sends it: bytes when the binding says {@code dataType: binary}, else text. */
    public static HostData payload(byte[] body, boolean binary) {
        return binary ? new Bytes(body) : new Text(new String(body, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** An HTTP request body: as {@link #payload}, or no value when the request has none. */
    public static HostData httpBody(byte[] body, boolean binary) {
        return body == null || body.length == 0 ? new NotSet() : payload(body, binary);
    }
}
