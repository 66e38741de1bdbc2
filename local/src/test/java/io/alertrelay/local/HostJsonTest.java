package io.alertrelay.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.amqp.AmqpRetryMode;
import io.alertrelay.settings.SettingsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trigger driver and the HTTP host run with the host.json the function app ships. */
class HostJsonTest {

    @Test
    void theCheckoutsHostJsonGivesConcurrencyLockRenewalAndClientRetries() {
        HostJson host = HostJson.read(Path.of(System.getProperty("alertrelay.root", "..")).resolve("host.json"));

        assertThat(host.maxConcurrentCalls()).isEqualTo(32);
        assertThat(host.maxAutoLockRenewalDuration()).isEqualTo(Duration.ofMinutes(5));
        assertThat(host.retryOptions().getMode()).isEqualTo(AmqpRetryMode.EXPONENTIAL);
        assertThat(host.retryOptions().getTryTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(host.retryOptions().getDelay()).isEqualTo(Duration.ofMillis(800));
        assertThat(host.retryOptions().getMaxRetries()).isEqualTo(3);
        assertThat(host.http()).isEqualTo(new HostJson.Http(16, HostJson.Http.UNBOUNDED));
    }

    @Test
    void httpLimitsAreUnboundedWhenAbsentAndRefusedWhenNeitherPositiveNorMinusOne(@TempDir Path dir)
            throws IOException {
        assertThat(read(dir, "{}").http()).isEqualTo(HostJson.Http.unbounded());
        assertThat(read(dir, "{\"extensions\":{\"http\":{\"maxConcurrentRequests\":-1,\"maxOutstandingRequests\":200}}}")
                .http()).isEqualTo(new HostJson.Http(HostJson.Http.UNBOUNDED, 200));
        for (String bad : List.of("0", "-2", "1.5", "\"16\"", "null", "3000000000")) {
            assertThatThrownBy(() -> read(dir, "{\"extensions\":{\"http\":{\"maxConcurrentRequests\":" + bad + "}}}"))
                    .as(bad).isInstanceOf(SettingsException.class)
                    .hasMessageContaining("extensions.http.maxConcurrentRequests");
        }
    }

    private static HostJson read(Path dir, String json) throws IOException {
        Path file = Files.writeString(dir.resolve("host.json"), json);
        return HostJson.read(file);
    }

    @Test
    void timeSpansAreReadAsDotNetWritesThem() {
        assertThat(HostJson.timeSpan("00:05:00", "x")).isEqualTo(Duration.ofMinutes(5));
        assertThat(HostJson.timeSpan("1.02:03:04.5", "x")).isEqualTo(Duration.parse("P1DT2H3M4.5S"));
        assertThat(HostJson.timeSpan("00:00:00.0000001", "x")).isEqualTo(Duration.ofNanos(100));
        assertThatThrownBy(() -> HostJson.timeSpan("5 minutes", "maxAutoLockRenewalDuration"))
                .isInstanceOf(SettingsException.class).hasMessageContaining("maxAutoLockRenewalDuration");
    }
}
