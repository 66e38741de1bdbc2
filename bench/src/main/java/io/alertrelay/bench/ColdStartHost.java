package io.alertrelay.bench;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import io.alertrelay.domain.Json;
import io.alertrelay.functions.AppGraph;
import io.alertrelay.functions.FunctionClasses;
import io.alertrelay.intake.TenantTokens;
import io.alertrelay.local.host.FunctionApp;
import io.alertrelay.local.host.FunctionInstances;
import io.alertrelay.local.host.FunctionInvoker;
import io.alertrelay.local.host.HostData;
import io.alertrelay.local.host.LocalExecutionContext;
import io.alertrelay.local.store.H2Store;
import io.alertrelay.local.trigger.ServiceBusTriggerDriver;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The child JVM of {@link ColdStartBenchmark}: a function host as the worker starts one, from process start to the
 * first 202. Settings come from the environment, as in Azure; the store is H2 (the local stand-in for Cosmos DB).
 * Mode {@code cold}: nothing is built before the first request (the code before issue 16). Mode {@code warm}: the graph
 * is warmed on a thread of its own when the functions are loaded, as {@code AlertRelayInjector} does, and the first
 * request comes as soon as the host is ready. Mode {@code prewarmed}: the same, the first request after the warm-up
 * ended (an always-ready or pre-warmed instance). Prints {@code T <point> <ms since JVM start>} lines and the event
 * id, then waits for its standard input to close.
 */
public final class ColdStartHost {

    private static final long JVM_START = ManagementFactory.getRuntimeMXBean().getStartTime();

    private ColdStartHost() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        point("main");
        Map<String, String> env = System.getenv();
        try (ScratchDirectory data = ScratchDirectory.create("cold-start");
             H2Store store = H2Store.open(data.path(), 4);
             AppGraph graph = AppGraph.builder(env).store(store).build()) {
            FunctionInstances instances = new FunctionInstances() {
                @Override
                public <T> T instance(Class<T> functionClass) {
                    return FunctionClasses.create(functionClass, graph);
                }
            };
            Thread warm = new Thread(() -> {
                graph.warm();
                point("warmed");
            }, "alertrelay-warm-up");
            if (!mode.equals("cold")) {
                warm.start(); // what AlertRelayInjector's constructor does when the worker loads the functions
            }
            FunctionApp app = FunctionApp.load(FunctionApp.packagedDirectory(Path.of("")), env, instances);
            FunctionInvoker webhook = app.function("AlertWebhook").orElseThrow();
            List<ServiceBusTriggerDriver> drivers = new ArrayList<>();
            for (FunctionInvoker dequeuer : app.triggeredBy("serviceBusTrigger")) { // a listener per lane
                drivers.add(new ServiceBusTriggerDriver(ServiceBusTriggerDriver.clientFor(dequeuer.definition()
                        .trigger(), env), dequeuer, 32, Duration.ofMinutes(5)));
            }
            try {
                drivers.forEach(ServiceBusTriggerDriver::start);
                point("host ready");
                if (mode.equals("prewarmed")) {
                    warm.join();
                }
                point("first request");
                HttpResponseMessage answer = post(webhook, env);
                point("first " + answer.getStatusCode());
                String body = answer.getBody() instanceof byte[] b ? new String(b, StandardCharsets.UTF_8)
                        : String.valueOf(answer.getBody());
                System.out.println("EVENT " + Json.readTree(body).path("id").asText());
                System.out.flush();
                System.in.readAllBytes(); // until the parent saw the delivery
            } finally {
                drivers.forEach(ServiceBusTriggerDriver::close);
            }
        }
    }

    private static HttpResponseMessage post(FunctionInvoker webhook, Map<String, String> env) {
        String tenant = "cold-" + ProcessHandle.current().pid();
        String token = new TenantTokens(List.of(new io.alertrelay.settings.Secret(
                env.get("TENANT_TOKEN_KEYS")))).tokenFor(tenant);
        var trigger = webhook.definition().trigger();
        byte[] body = FixtureMix.bodies().get(0);
        HostData.Http request = new HostData.Http(HttpMethod.POST,
                URI.create("http://127.0.0.1/api/alerts/" + tenant + "?token=" + token),
                Map.of("content-type", "application/json"), Map.of("token", token),
                HostData.httpBody(body, trigger.isBinary()));
        return (HttpResponseMessage) webhook.invoke(Map.of(trigger.name(), request), Map.of(
                "tenant", new HostData.Text(tenant),
                "Query", new HostData.Json("{\"token\":\"" + token + "\"}"),
                "Headers", new HostData.Json("{\"content-type\":\"application/json\"}")),
                new LocalExecutionContext("AlertWebhook"));
    }

    static void point(String name) {
        System.out.println("T " + name + " " + (System.currentTimeMillis() - JVM_START) + " " + JVM_START);
        System.out.flush();
    }
}
