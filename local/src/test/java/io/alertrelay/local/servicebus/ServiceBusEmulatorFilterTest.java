package io.alertrelay.local.servicebus;

import static io.alertrelay.local.servicebus.SdkClients.receive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.util.BinaryData;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusMessageBatch;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Subscription rules with SQL filters, through the real SDK: a message reaches exactly the subscriptions whose filter
 * is true for its application properties, with the three-valued logic Service Bus documents for a property the
 * message does not have; a filter the emulator cannot evaluate is refused when declared.
 */
class ServiceBusEmulatorFilterTest {

    /** The two lanes of issue 14, as the ARM template declares them. */
    private static final String STANDARD = "lane IS NULL OR lane <> 'bulk'";
    private static final String BULK = "lane = 'bulk'";

    private ServiceBusEmulator emulator;
    private SdkClients clients;

    private void start(ServiceBusEmulator.Builder builder) {
        emulator = builder.build().start();
        clients = new SdkClients(emulator);
    }

    @AfterEach
    void stop() throws Exception {
        if (clients != null) {
            clients.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void eachMessageReachesTheLaneItsPropertySelectsAndOnlyThatOne() {
        start(ServiceBusEmulator.builder().topic("alerts", "platform-delivery", "platform-delivery-bulk", "audit")
                .filter("alerts", "platform-delivery", STANDARD)
                .filter("alerts", "platform-delivery-bulk", BULK));
        ServiceBusSenderClient sender = clients.sender("alerts");

        sender.sendMessage(message("quiet-1", Map.of("tenant", "quiet", "lane", "standard")));
        sender.sendMessage(message("flood-1", Map.of("tenant", "flood", "lane", "bulk")));
        sender.sendMessage(message("old-1", Map.of("tenant", "quiet"))); // no lane: a webhook of an older version

        assertThat(ids("platform-delivery", 2)).containsExactlyInAnyOrder("quiet-1", "old-1");
        assertThat(ids("platform-delivery-bulk", 1)).containsExactly("flood-1");
        assertThat(ids("audit", 3)).as("the default rule selects every message")
                .containsExactlyInAnyOrder("quiet-1", "flood-1", "old-1");
        assertThat(emulator.activeMessageCount("alerts", "platform-delivery")).as("nothing more").isEqualTo(2);
        assertThat(emulator.activeMessageCount("alerts", "platform-delivery-bulk")).as("nothing more").isOne();
    }

    @Test
    void aComparisonWithAMissingPropertyIsUnknownSoNeitherItNorItsNegationSelects() {
        start(ServiceBusEmulator.builder().topic("alerts", "not-bulk", "not-not-bulk", "is-null")
                .filter("alerts", "not-bulk", "lane <> 'bulk'")
                .filter("alerts", "not-not-bulk", "NOT (lane <> 'bulk')")
                .filter("alerts", "is-null", "lane IS NULL"));

        clients.sender("alerts").sendMessage(message("no-lane", Map.of("tenant", "quiet")));

        assertThat(emulator.activeMessageCount("alerts", "not-bulk")).isZero();
        assertThat(emulator.activeMessageCount("alerts", "not-not-bulk")).isZero();
        assertThat(emulator.activeMessageCount("alerts", "is-null")).isOne();
    }

    @Test
    void filtersApplyToEachMessageOfABatch() {
        start(ServiceBusEmulator.builder().topic("alerts", "platform-delivery", "platform-delivery-bulk")
                .filter("alerts", "platform-delivery", STANDARD)
                .filter("alerts", "platform-delivery-bulk", BULK));
        ServiceBusSenderClient sender = clients.sender("alerts");
        ServiceBusMessageBatch batch = sender.createMessageBatch();
        for (int i = 0; i < 10; i++) {
            assertThat(batch.tryAddMessage(message("m-" + i, Map.of("lane", i % 2 == 0 ? "bulk" : "standard"))))
                    .isTrue();
        }
        sender.sendMessages(batch);

        assertThat(ids("platform-delivery-bulk", 5)).containsExactlyInAnyOrder("m-0", "m-2", "m-4", "m-6", "m-8");
        assertThat(ids("platform-delivery", 5)).containsExactlyInAnyOrder("m-1", "m-3", "m-5", "m-7", "m-9");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
        "lane = 'bulk'|false",
        "lane = 'standard'|true",
        "user.lane = 'standard'|true",
        "[lane] = 'standard'|true",
        "lane != 'bulk'|true",
        "lane IN ('bulk', 'standard')|true",
        "lane NOT IN ('bulk')|true",
        "missing NOT IN ('x')|false",
        "EXISTS (lane)|true",
        "EXISTS (missing)|false",
        "NOT EXISTS (missing)|true",
        "attempt = 3|true",
        "attempt >= 3.0 AND attempt < 4|true",
        "attempt > -1|true",
        "attempt = '3'|false",
        "critical = TRUE|true",
        "lane = 'bulk' OR attempt = 3|true",
        "lane = 'bulk' OR missing = 1|false",
        "NOT (lane = 'bulk' OR missing = 1)|false",
        "lane = 'standard' AND (missing IS NULL)|true",
        "lane = 'standard' AND missing = 1|false",
        "name = 'O''Brien'|true",
        "1=1|true",
    })
    void theEmulatedGrammarEvaluatesOverTheSentProperties(String filter, boolean selected) {
        start(ServiceBusEmulator.builder().topic("alerts", "filtered").filter("alerts", "filtered", filter));

        clients.sender("alerts").sendMessage(message("m", Map.of("lane", "standard", "attempt", 3, "critical", true,
                "name", "O'Brien")));

        assertThat(emulator.activeMessageCount("alerts", "filtered")).isEqualTo(selected ? 1 : 0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "sys.Label = 'x'|system property sys.Label",
        "color LIKE 'b%'|LIKE",
        "quantity + 1 = 2|'+'",
        "lane = |the end where a property or a constant was expected",
        "lane = 'bulk|an unclosed string",
        "(lane = 'bulk'|a missing ')'",
        "lane = @lane|parameter @lane",
        "lane = 'bulk' lane|where the filter should end",
    })
    void aFilterTheEmulatorCannotEvaluateIsRefusedWhenDeclared(String filter, String why) {
        ServiceBusEmulator.Builder builder = ServiceBusEmulator.builder().topic("alerts", "filtered");

        assertThatThrownBy(() -> builder.filter("alerts", "filtered", filter))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(filter.strip())
                .hasMessageContaining(why);
    }

    @Test
    void aFilterNeedsItsSubscriptionDeclaredFirst() {
        assertThatThrownBy(() -> ServiceBusEmulator.builder().topic("alerts", "a").filter("alerts", "b", BULK))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("No subscription 'b'");
    }

    private List<String> ids(String subscription, int count) {
        List<ServiceBusReceivedMessage> received = receive(clients.receiver("alerts", subscription), count,
                Duration.ofSeconds(10));
        return received.stream().map(ServiceBusReceivedMessage::getMessageId).toList();
    }

    private static ServiceBusMessage message(String id, Map<String, Object> properties) {
        ServiceBusMessage m = new ServiceBusMessage(BinaryData.fromString("{}")).setMessageId(id);
        m.getApplicationProperties().putAll(new HashMap<>(properties));
        return m;
    }
}
