package io.alertrelay.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.local.LocalRuntime;
import io.alertrelay.local.platform.Delivery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment pipeline's probe (infra/pipeline/probe.sh, run after every swap) against the real local runtime:
 * it posts for the reserved probe tenant, reads the event's status through EventStatus until it is delivered, and
 * the platform receives a signed io.alertrelay.probe event.
 */
class DeliveryProbeTest {

    @TempDir
    Path dir;

    @Test
    void theProbeScriptProvesDeliveryThroughTheWholePipeline() throws Exception {
        try (LocalRuntime runtime = LocalRuntime.start(RuntimeHarness.options(RuntimeHarness.project(dir),
                dir.resolve("data")).build())) {
            ProcessBuilder probe = new ProcessBuilder("bash", RuntimeHarness.root().resolve("infra/pipeline/probe.sh")
                    .toString(), "--timeout", "60", "--interval", "0.2").redirectErrorStream(true);
            probe.environment().put("PROBE_BASE_URL", runtime.baseUri().toString());
            probe.environment().put("TENANT_TOKEN_KEYS", runtime.settings().tenantTokenKeys().get(0).reveal());
            probe.environment().put("PROBE_ADMIN_KEY", "local");

            Process p = probe.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();

            assertThat(p.exitValue()).as(out).isZero();
            List<Delivery> probes = runtime.receiver().orElseThrow().deliveries().stream()
                    .filter(d -> d.type().equals("io.alertrelay.probe")).toList();
            assertThat(probes).hasSize(1);
            assertThat(probes.get(0).tenant()).isEqualTo("alertrelay-probe");
            assertThat(out).contains("delivered").doesNotContain(runtime.settings().tenantTokenKeys().get(0).reveal());
        }
    }
}
