package io.alertrelay.local.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.models.ServiceBusReceiveMode;
import com.microsoft.azure.functions.HttpMethod;
import io.alertrelay.functions.AlertRelayInjector;
import io.alertrelay.local.servicebus.ServiceBusEmulator;
import io.alertrelay.local.trigger.MessageMetadata;
import io.alertrelay.settings.Settings;
import io.alertrelay.testing.Fixtures;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract between every function's Java signature and the function.json that Azure reads: what the host sends
 * for each trigger (a string unless the binding says {@code dataType: binary}; metadata by name) binds to the
 * declared parameters by the Java worker's rules. A byte[] parameter whose binding lacks {@code dataType: binary}
 * fails here, as every invocation of it would fail in Azure.
 */
class FunctionBindingContractTest {

    private static final Pattern ROUTE_PARAMETER = Pattern.compile("\\{([^}:?]+)");
    private static ServiceBusEmulator bus;
    private static FunctionApp app;

    @BeforeAll
    static void load() {
        bus = ServiceBusEmulator.builder().topic("alerts", "platform-delivery").build().start();
        app = PackagedFunctions.load(Map.of(Settings.SERVICE_BUS_CONNECTION, bus.connectionString()),
                FunctionInstances.newInstances()); // binding only: no instance is made
    }

    @AfterAll
    static void stop() {
        bus.close();
    }

    @Test
    void everyHttpFunctionBindsTheRequestTheHostSendsForItsRoute() {
        List<FunctionInvoker> http = app.triggeredBy("httpTrigger");
        assertThat(http).extracting(FunctionInvoker::name).contains("AlertWebhook", "Health", "Replay");
        for (FunctionInvoker f : http) {
            BindingDefinition trigger = f.definition().trigger();
            String method = trigger.methods().isEmpty() ? "POST" : trigger.methods().get(0);
            HostData.Http request = new HostData.Http(HttpMethod.value(method), URI.create("http://127.0.0.1/api/x"),
                    Map.of("content-type", "application/json"), Map.of(),
                    HostData.httpBody(Fixtures.bytes("test-metric-static.json"), trigger.isBinary()));
            Map<String, HostData> metadata = new LinkedHashMap<>();
            Matcher m = ROUTE_PARAMETER.matcher(trigger.text("route").orElse(""));
            while (m.find()) {
                metadata.put(m.group(1), new HostData.Text("contoso"));
            }
            metadata.put("Query", new HostData.Json("{}"));
            metadata.put("Headers", new HostData.Json("{}"));

            assertThatCode(() -> f.bind(Map.of(trigger.name(), request), metadata, new LocalExecutionContext(f.name())))
                    .as(f.name() + " (" + trigger + ")").doesNotThrowAnyException();
        }
    }

    @Test
    void noHttpRouteIsOneTheHostKeepsForItself() {
        for (FunctionInvoker f : app.triggeredBy("httpTrigger")) {
            String route = f.definition().trigger().text("route").orElse(f.name());
            assertThat(RouteTemplate.RESERVED).as(f.name() + " route " + route)
                    .noneMatch(reserved -> route.toLowerCase(java.util.Locale.ROOT).startsWith(reserved));
        }
    }

    @Test
    void everyServiceBusFunctionBindsTheMessageTheHostSends() {
        List<FunctionInvoker> triggered = app.triggeredBy("serviceBusTrigger");
        assertThat(triggered).extracting(FunctionInvoker::name).contains("AlertDequeuer", "AlertDequeuerBulk");
        ServiceBusReceivedMessage message = aRealMessage();
        for (FunctionInvoker f : triggered) {
            BindingDefinition trigger = f.definition().trigger();
            HostData body = HostData.payload(message.getBody().toBytes(), trigger.isBinary());

            assertThatCode(() -> f.bind(Map.of(trigger.name(), body), MessageMetadata.of(message),
                    new LocalExecutionContext(f.name())))
                    .as(f.name() + " (" + trigger + ")").doesNotThrowAnyException();
        }
    }

    @Test
    void aByteArrayParameterHasABinaryBindingAndOnlyThen() {
        for (FunctionInvoker f : app.all()) {
            BindingDefinition trigger = f.definition().trigger();
            String type = f.triggerParameterType().getTypeName();
            assertThat(type.contains("byte[]"))
                    .as(f.name() + ": parameter " + type + " vs dataType of " + trigger)
                    .isEqualTo(trigger.isBinary());
        }
    }

    @Test
    void theWorkersInjectorMakesAnInstanceOfEveryPackagedFunctionClass() throws Exception {
        AlertRelayInjector injector = new AlertRelayInjector(); // as the worker's ServiceLoader makes it
        for (FunctionInvoker f : app.all()) {
            Class<?> functionClass = Class.forName(f.definition().className());
            assertThat(injector.getInstance(functionClass)).as(f.name()).isInstanceOf(functionClass);
        }
    }

    /** A message as the real SDK receives it from the emulator: the body, id and counts the host would see. */
    private static ServiceBusReceivedMessage aRealMessage() {
        ServiceBusClientBuilder client = new ServiceBusClientBuilder().connectionString(bus.connectionString());
        try (ServiceBusSenderClient sender = client.sender().topicName("alerts").buildClient();
             ServiceBusReceiverClient receiver = client.receiver().topicName("alerts")
                     .subscriptionName("platform-delivery").receiveMode(ServiceBusReceiveMode.RECEIVE_AND_DELETE)
                     .buildClient()) {
            sender.sendMessage(new ServiceBusMessage("{\"specversion\":\"1.0\"}").setMessageId("contract-test")
                    .setContentType("application/cloudevents+json"));
            return receiver.receiveMessages(1, Duration.ofSeconds(10)).stream().findFirst().orElseThrow();
        }
    }
}
