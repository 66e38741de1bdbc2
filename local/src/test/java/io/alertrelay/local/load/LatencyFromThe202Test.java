package io.alertrelay.local.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The noisy-neighbour report's latency from each 202 to the platform. */
class LatencyFromThe202Test {

    @Test
    void aDeliveryThatArrivedBeforeTheClientReadIts202CountsAsZeroNotNegative() {
        Map<String, Long> answeredAt = Map.of("a", 1_000L, "b", 1_000L, "c", 1_000L);
        Map<String, Long> arrivedAt = Map.of("a", 999L, "b", 1_014L); // c never arrived

        assertThat(LoadGenerator.afterThe202(answeredAt, arrivedAt)).containsExactlyInAnyOrder(0.0, 14.0);
    }
}
