package io.alertrelay.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.amqp.AmqpRetryMode;
import io.alertrelay.settings.SettingsException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The trigger driver runs with the host.json the function app ships. */
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
