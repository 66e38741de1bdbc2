package io.alertrelay.local.runtime;

import static io.alertrelay.local.runtime.RuntimeHarness.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.domain.Json;
import io.alertrelay.local.LocalRuntime;
import io.alertrelay.testing.Eventually;
import io.alertrelay.testing.Fixtures;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each runtime has its own object graph: two run side by side in one JVM, each delivering to its own receiver. */
class LocalRuntimesSideBySideTest {

    @TempDir
    Path dir;

    @Test
    void twoRuntimesInOneJvmEachDeliverTheirOwnAlerts() {
        try (LocalRuntime a = LocalRuntime.start(RuntimeHarness.options(RuntimeHarness.project(dir.resolve("a")),
                     dir.resolve("a-data")).build());
             LocalRuntime b = LocalRuntime.start(RuntimeHarness.options(RuntimeHarness.project(dir.resolve("b")),
                     dir.resolve("b-data")).build())) {
            HttpResponse<String> toA = post(a, "tenant-a", Fixtures.bytes("test-metric-static.json"));
            HttpResponse<String> toB = post(b, "tenant-b", Fixtures.bytes("test-log-v2.json"));
            assertThat(toA.statusCode()).isEqualTo(202);
            assertThat(toB.statusCode()).isEqualTo(202);
            String idA = Json.readTree(toA.body()).path("id").asText();
            String idB = Json.readTree(toB.body()).path("id").asText();

            awaitDelivered(a, "tenant-a", idA);
            awaitDelivered(b, "tenant-b", idB);

            assertThat(a.receiver().orElseThrow().delivery(idA)).isPresent();
            assertThat(a.receiver().orElseThrow().delivery(idB)).isEmpty();
            assertThat(b.receiver().orElseThrow().delivery(idB)).isPresent();
            assertThat(b.receiver().orElseThrow().delivery(idA)).isEmpty();
            assertThat(a.store().documents().find("tenant-b", idB)).isEmpty();
        }
    }

    private static void awaitDelivered(LocalRuntime runtime, String tenant, String id) {
        Eventually.await(id + " delivered", Duration.ofSeconds(30),
                () -> runtime.store().documents().find(tenant, id).map(d -> d.status()).orElse(null),
                s -> s == DeliveryStatus.DELIVERED);
    }
}
