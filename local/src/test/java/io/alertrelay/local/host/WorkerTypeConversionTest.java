package io.alertrelay.local.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import java.lang.reflect.Type;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Java worker's conversion rules, as the local host applies them to what the host sends. */
class WorkerTypeConversionTest {

    @SuppressWarnings("unused")
    private static void signatures(HttpRequestMessage<Optional<byte[]>> binary, HttpRequestMessage<Optional<String>> text,
                                   Optional<byte[]> optionalBytes) {
    }

    private static Type parameter(int i) throws NoSuchMethodException {
        return WorkerTypeConversionTest.class.getDeclaredMethod("signatures", HttpRequestMessage.class,
                HttpRequestMessage.class, Optional.class).getGenericParameterTypes()[i];
    }

    @Test
    void aStringNeverBecomesAByteArray() {
        assertThatThrownBy(() -> WorkerTypeConversion.convert(new HostData.Text("{\"a\":1}"), byte[].class))
                .isInstanceOf(WorkerTypeConversion.BindingException.class)
                .hasMessageContaining("dataType = \"binary\"");
    }

    @Test
    void bytesBecomeAByteArrayOrAString() {
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        assertThat((byte[]) WorkerTypeConversion.convert(new HostData.Bytes(body), byte[].class)).isEqualTo(body);
        assertThat(WorkerTypeConversion.convert(new HostData.Bytes(body), String.class)).isEqualTo("{\"a\":1}");
    }

    @Test
    void aStringBecomesAStringOrANumberByParsing() {
        assertThat(WorkerTypeConversion.convert(new HostData.Text("hello"), String.class)).isEqualTo("hello");
        assertThat(WorkerTypeConversion.convert(new HostData.Text("42"), int.class)).isEqualTo(42);
        assertThat(WorkerTypeConversion.convert(new HostData.Text("42"), Long.class)).isEqualTo(42L);
    }

    @Test
    void anIntBindsToIntShortByteAndStringButNotLong() {
        assertThat(WorkerTypeConversion.convert(new HostData.Int(3), int.class)).isEqualTo(3);
        assertThat(WorkerTypeConversion.convert(new HostData.Int(3), String.class)).isEqualTo("3");
        assertThatThrownBy(() -> WorkerTypeConversion.convert(new HostData.Int(3), long.class))
                .isInstanceOf(WorkerTypeConversion.BindingException.class);
    }

    @Test
    void anOptionalWrapsTheValueAndNoValueIsEmpty() throws Exception {
        assertThat(WorkerTypeConversion.convert(new HostData.NotSet(), parameter(2))).isEqualTo(Optional.empty());
        Object wrapped = WorkerTypeConversion.convert(new HostData.Bytes(new byte[] {1, 2}), parameter(2));
        assertThat(wrapped).isInstanceOfSatisfying(Optional.class, o -> assertThat((byte[]) o.get()).containsExactly(1, 2));
    }

    @Test
    void anHttpRequestBodyIsConvertedToTheDeclaredBodyType() throws Exception {
        HostData.Http binaryRequest = new HostData.Http(HttpMethod.POST, URI.create("http://127.0.0.1/api/alerts/x"),
                Map.of(), Map.of(), HostData.httpBody("{}".getBytes(StandardCharsets.UTF_8), true));
        HttpRequestMessage<?> r = (HttpRequestMessage<?>) WorkerTypeConversion.convert(binaryRequest, parameter(0));
        assertThat(r.getBody()).isInstanceOfSatisfying(Optional.class, o -> assertThat(o.get()).isInstanceOf(byte[].class));

        HostData.Http textRequest = new HostData.Http(HttpMethod.POST, URI.create("http://127.0.0.1/api/alerts/x"),
                Map.of(), Map.of(), HostData.httpBody("{}".getBytes(StandardCharsets.UTF_8), false));
        assertThatThrownBy(() -> WorkerTypeConversion.convert(textRequest, parameter(0)))
                .isInstanceOf(WorkerTypeConversion.BindingException.class);
        HttpRequestMessage<?> t = (HttpRequestMessage<?>) WorkerTypeConversion.convert(textRequest, parameter(1));
        assertThat(t.getBody()).isEqualTo(Optional.of("{}"));
    }
}
