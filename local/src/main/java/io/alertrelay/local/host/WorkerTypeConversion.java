package io.alertrelay.local.host;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.HttpRequestMessage;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * How the Azure Functions Java worker turns what the host sent ({@link HostData}) into a parameter's Java type. The
 * rules are the worker's own (azure-functions-java-worker, {@code com.microsoft.azure.functions.worker.binding}:
 * RpcStringDataSource, RpcByteArrayDataSource, RpcIntegerDataSource, RpcJsonDataSource, RpcHttpRequestDataSource,
 * DataOperations), for the types a function here may declare:
 *
 * <ul>
 *   <li>a string becomes String, a number type by parsing, or a POJO from JSON — never {@code byte[]}: "Bind binary
 *       inputs or outputs to byte[], by setting the dataType field in your function.json to binary" (Java developer
 *       guide, https://learn.microsoft.com/azure/azure-functions/functions-reference-java#binary-data). The worker
 *       tries JSON for byte[] and fails on anything but a JSON array of numbers, which a message body never is here;
 *   <li>bytes become {@code byte[]}, {@code Byte[]} or String;
 *   <li>an int (DeliveryCount, SequenceNumber) becomes int, short, byte (boxed or not) or String — not {@code long},
 *       which the worker's table lacks;
 *   <li>an HTTP request becomes {@code HttpRequestMessage<T>} with its body converted to T by the rules above;
 *   <li>{@code Optional<T>} wraps T; a missing value is {@code Optional.empty()}.
 * </ul>
 *
 * POJOs are read with Jackson here where the worker uses Gson; no function of ours binds a POJO.
 */
final class WorkerTypeConversion {

    private static final ObjectMapper POJO = new ObjectMapper();
    private static final Map<Class<?>, Function<String, Object>> FROM_TEXT = Map.ofEntries(
            Map.entry(String.class, s -> s),
            Map.entry(long.class, Long::parseLong), Map.entry(Long.class, Long::parseLong),
            Map.entry(int.class, Integer::parseInt), Map.entry(Integer.class, Integer::parseInt),
            Map.entry(short.class, Short::parseShort), Map.entry(Short.class, Short::parseShort),
            Map.entry(byte.class, Byte::parseByte), Map.entry(Byte.class, Byte::parseByte),
            Map.entry(double.class, Double::parseDouble), Map.entry(Double.class, Double::parseDouble),
            Map.entry(float.class, Float::parseFloat), Map.entry(Float.class, Float::parseFloat));
    private static final Map<Class<?>, Function<Long, Object>> FROM_INT = Map.of(
            int.class, Long::intValue, Integer.class, Long::intValue,
            short.class, Long::shortValue, Short.class, Long::shortValue,
            byte.class, Long::byteValue, Byte.class, Long::byteValue,
            String.class, Object::toString);

    private WorkerTypeConversion() {
    }

    /**
     * @throws BindingException when the worker could not make {@code target} of {@code data}; in Azure the
     *                          invocation then fails before the function runs
     */
    static Object convert(HostData data, Type target) {
        Class<?> raw = rawClass(target);
        if (raw == Optional.class) {
            Type inner = typeArgument(target);
            return data instanceof HostData.NotSet ? Optional.empty() : Optional.ofNullable(convert(data, inner));
        }
        if (data instanceof HostData.Text t) {
            return fromText(t.value(), raw, target, "a string");
        }
        if (data instanceof HostData.Json j) {
            return fromText(j.value(), raw, target, "JSON");
        }
        if (data instanceof HostData.Bytes b) {
            return fromBytes(b.value(), raw, target);
        }
        if (data instanceof HostData.Int i) {
            return fromInt(i.value(), raw);
        }
        if (data instanceof HostData.Http h) {
            return fromHttp(h, raw, target);
        }
        return null; // NotSet
    }

    private static Object fromText(String text, Class<?> raw, Type target, String what) {
        Function<String, Object> op = FROM_TEXT.get(raw);
        if (op != null) {
            try {
                return op.apply(text);
            } catch (NumberFormatException e) {
                throw new BindingException("cannot convert " + what + " to " + raw.getSimpleName() + ": " + e.getMessage());
            }
        }
        if (raw == byte[].class || raw == Byte[].class) {
            throw new BindingException("the host sent " + what + ", which the Java worker cannot bind to "
                    + raw.getSimpleName() + "; declare dataType = \"binary\" on the binding");
        }
        return pojo(text, target);
    }

    private static Object fromBytes(byte[] bytes, Class<?> raw, Type target) {
        if (raw == byte[].class) {
            return bytes.clone();
        }
        if (raw == Byte[].class) {
            Byte[] boxed = new Byte[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                boxed[i] = bytes[i];
            }
            return boxed;
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        return raw == String.class ? text : pojo(text, target);
    }

    private static Object fromInt(long value, Class<?> raw) {
        Function<Long, Object> op = FROM_INT.get(raw);
        if (op == null) {
            throw new BindingException("the host sent a whole number, which the Java worker cannot bind to "
                    + raw.getSimpleName() + " (it binds int, short, byte or String)");
        }
        return op.apply(value);
    }

    private static Object fromHttp(HostData.Http http, Class<?> raw, Type target) {
        if (!HttpRequestMessage.class.isAssignableFrom(raw)) {
            throw new BindingException("an HTTP trigger binds HttpRequestMessage<T>, not " + raw.getSimpleName());
        }
        Object body = convert(http.body(), typeArgument(target));
        return new LocalHttpRequest<>(http.uri(), http.method(), http.headers(), http.query(), body);
    }

    private static Object pojo(String text, Type target) {
        try {
            JavaType type = POJO.getTypeFactory().constructType(target);
            return POJO.readValue(text, type);
        } catch (IOException e) {
            throw new BindingException("cannot read " + rawClass(target).getSimpleName() + " from JSON: "
                    + e.getClass().getSimpleName());
        }
    }

    static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    private static Type typeArgument(Type type) {
        return type instanceof ParameterizedType p && p.getActualTypeArguments().length > 0
                ? p.getActualTypeArguments()[0] : Object.class;
    }

    /** The worker could not make the parameter's type of what the host sent: the invocation fails. */
    static final class BindingException extends RuntimeException {
        BindingException(String message) {
            super(message);
        }
    }
}
