package io.alertrelay.local.runtime;

import static io.alertrelay.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.local.HostJson;
import io.alertrelay.local.LocalRuntime;
import io.alertrelay.local.load.Notifications;
import io.alertrelay.settings.Settings;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One tenant cannot delay another (issue 14), end to end: a flood from one tenant builds a backlog in front of a
 * platform that takes a second per delivery; a quiet tenant posts a few alerts once the whole flood is accepted. In
 * one first-in-first-out subscription those would wait behind the backlog, and reach the platform only when at most
 * the flood's alerts under way (maxConcurrentCalls) were still to come. With the lanes they reach it while most of the
 * flood is still queued. Every alert of both is delivered. The facts checked are orders of arrival, not times.
 */
class TenantFairnessTest {

    private static final int FLOOD = 400;
    private static final int QUIET = 3;
    private static final int FAIR_SHARE = 20;

    @TempDir
    Path dir;

    @Test
    void aQuietTenantsAlertsReachThePlatformBeforeAFloodsBacklogHasDrained() throws Exception {
        ArrivalOrder platform = new ArrivalOrder();
        Path project = RuntimeHarness.project(dir);
        int slots = HostJson.read(project.resolve("host.json")).maxConcurrentCalls();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(platform);
            server.start();
            try (LocalRuntime runtime = LocalRuntime.start(RuntimeHarness.options(project, dir.resolve("data"))
                    .setting(Settings.PLATFORM_ENDPOINT_URL, server.url("/events").toString())
                    .setting(Settings.FAIR_SHARE_ALERTS, String.valueOf(FAIR_SHARE))
                    .drainTimeout(Duration.ofSeconds(60)).build())) {
                postFlood(runtime);
                for (int i = 0; i < QUIET; i++) {
                    HttpResponse<String> r = RuntimeHarness.post(runtime, "quiet", quiet(i));
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                }

                await("every alert of both tenants at the platform", Duration.ofSeconds(180), platform::tenants,
                        arrived -> arrived.size() >= FLOOD + QUIET);
            }
        }
        List<String> order = platform.tenants();
        assertThat(order).filteredOn("flood"::equals).as("nothing of the flood dropped").hasSize(FLOOD);
        assertThat(order).filteredOn("quiet"::equals).hasSize(QUIET);
        int lastQuiet = order.lastIndexOf("quiet");
        long floodStillToCome = order.subList(lastQuiet, order.size()).stream().filter("flood"::equals).count();
        assertThat(floodStillToCome)
                .as("flood alerts that reached the platform after the quiet tenant's last one (arrivals: %s)", order)
                .isGreaterThan(slots);
    }

    /** The whole flood posted and answered 202, with 16 clients, before the quiet tenant posts. */
    private static void postFlood(LocalRuntime runtime) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < FLOOD; i++) {
                byte[] body = flood(i);
                answers.add(clients.submit(() -> RuntimeHarness.post(runtime, "flood", body).statusCode()));
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get(60, TimeUnit.SECONDS)).isEqualTo(202);
            }
        } finally {
            clients.shutdownNow();
        }
    }

    private static final Notifications FLOOD_NOTIFICATIONS = new Notifications(Notifications.bundledSample(), "flood");
    private static final Notifications QUIET_NOTIFICATIONS = new Notifications(Notifications.bundledSample(), "quiet");

    private static byte[] flood(int i) {
        return FLOOD_NOTIFICATIONS.get(i);
    }

    private static byte[] quiet(int i) {
        return QUIET_NOTIFICATIONS.get(i);
    }

    /**
     * A platform that records the tenant of each delivery in the order the deliveries arrive (the event id begins
     * with the tenant, DESIGN §4) and answers 204 a second later, so the dequeuers deliver at most
     * maxConcurrentCalls a second per lane and a flood builds a backlog.
     */
    private static final class ArrivalOrder extends Dispatcher {
        private final List<String> tenants = Collections.synchronizedList(new ArrayList<>());
        private final java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String id = request.getHeader("webhook-id");
            if (id != null && seen.add(id)) {
                tenants.add(id.substring(0, id.indexOf('.')));
            }
            return new MockResponse().setResponseCode(204).setHeadersDelay(1, TimeUnit.SECONDS);
        }

        List<String> tenants() {
            synchronized (tenants) {
                return List.copyOf(tenants);
            }
        }
    }
}
