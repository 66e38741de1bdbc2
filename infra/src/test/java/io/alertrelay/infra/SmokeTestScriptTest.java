package io.alertrelay.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.alertrelay.health.HealthReport;
import io.alertrelay.domain.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * infra/pipeline/smoke-test.sh against a health endpoint on loopback that answers with the body the Health function
 * writes (HealthReportJson): it waits out a slot that is still starting, and fails on a degraded one.
 */
class SmokeTestScriptTest {

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void prerequisites() {
        NodeTool.require(commandWorks("bash", "--version") && commandWorks("curl", "--version"), "bash and curl");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void passesOnceTheSlotAnswers200WithStatusOkAfterStartingUp() throws Exception {
        serve(n -> n <= 2 ? new Answer(503, "starting") : new Answer(200, health("ok")));

        NodeTool.Result result = smokeTest(5);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(requests.get()).isEqualTo(3);
        assertThat(result.output()).contains("attempt 1/5: HTTP 503").contains("smoke test passed after 3 attempt(s)");
    }

    @Test
    void failsWhenTheSlotStaysDegraded() throws Exception {
        serve(n -> new Answer(200, health("unreachable: ServiceBusException")));

        NodeTool.Result result = smokeTest(3);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(requests.get()).isEqualTo(3);
        assertThat(result.output()).contains("\"status\":\"degraded\"").contains("did not answer 200 with status ok in 3 attempts");
    }

    @Test
    void failsWhenTheSlotNeverAnswers200() throws Exception {
        serve(n -> new Answer(500, health("ok")));

        NodeTool.Result result = smokeTest(2);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("attempt 2/2: HTTP 500");
    }

    private record Answer(int status, String body) {
    }

    private static String health(String cosmosState) {
        return Json.write(HealthReport.of("1.2.3", Map.of("serviceBus", "ok", "cosmos", cosmosState)));
    }

    private void serve(java.util.function.IntFunction<Answer> answers) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/health", exchange -> {
            Answer a = answers.apply(requests.incrementAndGet());
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(a.status(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    private NodeTool.Result smokeTest(int attempts) throws Exception {
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/api/health";
        List<String> command = new ArrayList<>(List.of("bash", Infra.infra().resolve("pipeline/smoke-test.sh").toString(),
                url, String.valueOf(attempts), "0"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("NO_PROXY", "127.0.0.1"); // a proxy from the environment must not see loopback
        pb.environment().put("no_proxy", "127.0.0.1");
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("smoke test finished").isTrue();
        return new NodeTool.Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    static boolean commandWorks(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
