package io.alertrelay.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alertrelay.domain.AlertMessage;
import io.alertrelay.port.AlertPublisher;
import io.alertrelay.settings.Settings;
import io.alertrelay.settings.SettingsException;
import io.alertrelay.testing.InMemoryStore;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Issue 16, point 4: what the first request would build is built at worker start, once, and never fails the app. */
class WorkerWarmUpTest {

    private static final Map<String, String> SETTINGS = Map.of(
            Settings.TENANT_TOKEN_KEYS, "warm-up-test-key",
            Settings.PLATFORM_ENDPOINT_URL, "http://127.0.0.1:9/platform/events",
            Settings.PLATFORM_SIGNING_SECRET,
            "whsec_" + Base64.getEncoder().encodeToString("warm-up-signing-secret-32-bytes!".getBytes()));

    @Test
    void warmingBuildsTheWebhookAndDequeuerPartsAndOpensTheSenderOnce() {
        HealthCountingPublisher publisher = new HealthCountingPublisher();
        try (AppGraph graph = AppGraph.builder(SETTINGS).publisher(publisher).store(new InMemoryStore()).build()) {
            var intake = graph.intake();

            assertThat(graph.warm()).isEmpty();
            assertThat(graph.warm()).isEmpty();

            assertThat(publisher.healthChecks.get()).as("the sender's link is opened at each warm-up").isEqualTo(2);
            assertThat(graph.intake()).as("built once").isSameAs(intake);
            assertThat(publisher.published.get()).as("warming publishes nothing").isZero();
        }
    }

    @Test
    void aSettingMissingAtWarmUpIsReportedWhereAFunctionAsksNotAtWorkerStart() {
        try (AppGraph graph = AppGraph.builder(Map.of()).build()) {
            assertThat(graph.warm()).containsExactly("intake", "serviceBus", "delivery");
            assertThatThrownBy(graph::intake).isInstanceOf(SettingsException.class)
                    .hasMessageContaining(Settings.TENANT_TOKEN_KEYS);
        }
    }

    @Test
    void theInjectorBuildsItsGraphOnceAndWarmsItWhenTheWorkerLoadsIt() throws Exception {
        AtomicInteger built = new AtomicInteger();
        HealthCountingPublisher publisher = new HealthCountingPublisher();
        AlertRelayInjector injector = new AlertRelayInjector(() -> {
            built.incrementAndGet();
            return AppGraph.builder(SETTINGS).publisher(publisher).store(new InMemoryStore()).build();
        });

        AlertWebhook first = injector.getInstance(AlertWebhook.class);
        AlertWebhook second = injector.getInstance(AlertWebhook.class);
        injector.graph();
        for (int i = 0; i < 500 && publisher.healthChecks.get() == 0; i++) {
            Thread.sleep(10); // the warm-up runs on its own thread; wait for it, whatever it takes, up to 5 s
        }

        assertThat(first).isNotSameAs(second);
        assertThat(built.get()).as("one graph per app").isEqualTo(1);
        assertThat(publisher.healthChecks.get()).as("warmed without a request").isEqualTo(1);
        injector.graph().close();
    }

    @Test
    void theBundledSampleNormalisesIntoAnEvent() {
        assertThat(CodecWarmUp.exercise()).startsWith("alertrelay-warmup.");
    }

    /** Counts health checks (what warming calls to open the link) and publishes (what it must never do). */
    private static final class HealthCountingPublisher implements AlertPublisher {
        final AtomicInteger healthChecks = new AtomicInteger();
        final AtomicInteger published = new AtomicInteger();

        @Override
        public void publish(AlertMessage message) {
            published.incrementAndGet();
        }

        @Override
        public String health() {
            healthChecks.incrementAndGet();
            return "ok";
        }
    }
}
