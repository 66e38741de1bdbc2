package io.alertrelay.local.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import io.alertrelay.adapter.servicebus.ServiceBusAlertPublisher;
import io.alertrelay.domain.schema.AlertNormaliser;
import io.alertrelay.domain.PlatformEvent;
import io.alertrelay.domain.PlatformEventCodec;
import io.alertrelay.domain.AlertMessages;
import io.alertrelay.domain.AlertMessage;
import io.alertrelay.port.PublishFailedException;
import io.alertrelay.settings.Secret;
import io.alertrelay.settings.ServiceBusTarget;
import io.alertrelay.testing.Fixtures;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The production publisher, through the real SDK, against the emulator over a real socket (DESIGN §6, §11). */
class ServiceBusAlertPublisherTest {

    private ServiceBusEmulator bus;
    private SdkClients clients;
    private ServiceBusAlertPublisher publisher;

    @BeforeEach
    void start() {
        bus = ServiceBusEmulator.builder().topic("alerts", "platform-delivery", "audit").maxDeliveryCount(2)
                .build().start();
        clients = new SdkClients(bus);
        publisher = publisher(bus.connectionString());
    }

    @AfterEach
    void stop() throws Exception {
        publisher.close();
        clients.close();
        bus.close();
    }

    @Test
    void publishedMessageCarriesTheEventIdSubjectContentTypeAndApplicationProperties() {
        AlertMessage message = messageFor("test-metric-static.json");
        publisher.publish(message);

        ServiceBusReceiverClient receiver = clients.receiver("alerts", "platform-delivery");
        ServiceBusReceivedMessage received = SdkClients.receiveOne(receiver);
        assertThat(received.getMessageId()).isEqualTo(message.messageId());
        assertThat(received.getSubject()).isEqualTo("io.alertrelay.alert.fired");
        assertThat(received.getContentType()).isEqualTo("application/cloudevents+json");
        assertThat(received.getApplicationProperties()).containsEntry("tenant", "contoso")
                .containsEntry("severity", "Sev4").containsEntry("condition", "Fired")
                .containsEntry("monitoringService", "Platform").containsEntry("schema", "common");
        assertThat(PlatformEventCodec.fromJson(received.getBody().toBytes()).id()).isEqualTo(message.messageId());
        receiver.complete(received);
    }

    @Test
    void everySubscriptionOfTheTopicGetsTheMessage() {
        AlertMessage message = messageFor("test-log-v2.json");
        publisher.publish(message);

        assertThat(SdkClients.receiveOne(clients.receiver("alerts", "platform-delivery")).getMessageId())
                .isEqualTo(message.messageId());
        assertThat(SdkClients.receiveOne(clients.receiver("alerts", "audit")).getMessageId())
                .isEqualTo(message.messageId());
    }

    @Test
    void theSameNotificationPublishedTwiceIsDeliveredOnceThanksToDuplicateDetection() {
        AlertMessage message = messageFor("test-metric-static.json");
        publisher.publish(message);
        publisher.publish(messageFor("test-metric-static.json"));

        List<ServiceBusReceivedMessage> received = SdkClients.receive(
                clients.receiver("alerts", "platform-delivery"), 2, Duration.ofSeconds(2));
        assertThat(received).extracting(ServiceBusReceivedMessage::getMessageId).containsExactly(message.messageId());
    }

    @Test
    void publishedMessageAbandonedIsRedeliveredThenDeadLetteredAfterMaxDeliveryCount() {
        AlertMessage message = messageFor("test-metric-static.json");
        publisher.publish(message);
        ServiceBusReceiverClient receiver = clients.receiver("alerts", "platform-delivery");

        ServiceBusReceivedMessage first = SdkClients.receiveOne(receiver);
        receiver.abandon(first);
        ServiceBusReceivedMessage second = SdkClients.receiveOne(receiver);
        assertThat(second.getMessageId()).isEqualTo(message.messageId());
        assertThat(second.getDeliveryCount()).isEqualTo(first.getDeliveryCount() + 1);
        receiver.abandon(second);

        ServiceBusReceivedMessage deadLettered = SdkClients.receiveOne(clients.deadLetterReceiver("alerts", "platform-delivery"));
        assertThat(deadLettered.getMessageId()).isEqualTo(message.messageId());
        assertThat(deadLettered.getDeadLetterReason()).isEqualTo("MaxDeliveryCountExceeded");
    }

    @Test
    void messageOverTheStandardTierLimitIsRefusedAndNothingIsEnqueued() {
        AlertMessage small = messageFor("test-metric-static.json");
        AlertMessage huge = new AlertMessage(small.messageId(), small.subject(), small.contentType(),
                new byte[300 * 1024], small.properties());

        assertThatThrownBy(() -> publisher.publish(huge)).isInstanceOf(PublishFailedException.class);
        assertThat(bus.activeMessageCount("alerts", "platform-delivery")).isZero();
    }

    /** Issue 16: concurrent publishes share batches (GroupedSends); the broker gets each message once. */
    @Test
    void concurrentPublishesEachArriveExactlyOnceAndATooLargeOneAmongThemFailsAlone() throws Exception {
        AlertMessage sample = messageFor("test-metric-static.json");
        ExecutorService webhooks = Executors.newFixedThreadPool(32);
        try {
            List<Future<?>> published = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                AlertMessage m = new AlertMessage("ev-" + i, sample.subject(), sample.contentType(), sample.body(),
                        sample.properties());
                published.add(webhooks.submit(() -> publisher.publish(m)));
            }
            AlertMessage huge = new AlertMessage("ev-huge", sample.subject(), sample.contentType(),
                    new byte[300 * 1024], sample.properties());
            Future<?> refused = webhooks.submit(() -> publisher.publish(huge));
            for (Future<?> f : published) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertThatThrownBy(() -> refused.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(PublishFailedException.class);
        } finally {
            webhooks.shutdownNow();
        }

        List<ServiceBusReceivedMessage> received = SdkClients.receive(clients.receiver("alerts", "platform-delivery"),
                401, Duration.ofSeconds(4));
        assertThat(received).extracting(ServiceBusReceivedMessage::getMessageId).hasSize(400).doesNotHaveDuplicates()
                .doesNotContain("ev-huge");
    }

    @Test
    void unreachableBusFailsThePublishWithinItsBoundAndHealthSaysSo() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String nowhere = bus.connectionString().replaceAll("localhost:\\d+|127\\.0\\.0\\.1:\\d+", "localhost:" + closedPort);
        try (ServiceBusAlertPublisher down = publisher(nowhere)) {
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                assertThatThrownBy(() -> down.publish(messageFor("test-metric-static.json")))
                        .isInstanceOf(PublishFailedException.class)
                        .hasMessageNotContaining("SharedAccessKey");
                assertThat(down.health()).startsWith("unreachable");
            });
        }
        assertThat(publisher.health()).isEqualTo("ok");
    }

    @Test
    void healthSaysFullWhileTheTopicRefusesSendsAndOkOnceASendIsAcceptedAgain() throws Exception {
        try (ServiceBusEmulator small = ServiceBusEmulator.builder().topic("alerts", "platform-delivery")
                .maxTopicBytes(1).build().start();
             SdkClients smallClients = new SdkClients(small);
             ServiceBusAlertPublisher toSmall = publisher(small.connectionString())) {
            toSmall.publish(messageFor("test-metric-static.json")); // the topic takes one message, then it is full
            assertThat(toSmall.health()).isEqualTo("ok");

            assertThatThrownBy(() -> toSmall.publish(messageFor("test-log-v2.json")))
                    .isInstanceOf(PublishFailedException.class);

            assertThat(toSmall.health()).startsWith("full (").contains("maximum size");
            ServiceBusReceiverClient receiver = smallClients.receiver("alerts", "platform-delivery");
            receiver.complete(SdkClients.receiveOne(receiver));
            assertThat(toSmall.health()).as("no send since: still the latest known").startsWith("full (");
            toSmall.publish(messageFor("test-log-v2.json"));
            assertThat(toSmall.health()).isEqualTo("ok");
        }
    }

    private static ServiceBusAlertPublisher publisher(String connectionString) {
        return ServiceBusAlertPublisher.builder()
                .target(new ServiceBusTarget(Optional.of(new Secret(connectionString)), Optional.empty()))
                .topic("alerts")
                .sendTimeout(Duration.ofSeconds(3))
                .build();
    }

    private static AlertMessage messageFor(String fixture) {
        PlatformEvent event = new AlertNormaliser().normalise("contoso", Fixtures.bytes(fixture));
        return AlertMessages.of(event, PlatformEventCodec.toJson(event), false);
    }
}
