package io.alertrelay.local.servicebus;

import static io.alertrelay.local.servicebus.SdkClients.receiveOne;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.util.BinaryData;
import com.azure.messaging.servicebus.ServiceBusException;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusMessageBatch;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.util.Arrays;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.UnsignedLong;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.Rejected;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.apache.qpid.proton.message.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceBusEmulatorMessageSizeTest {
    private static final int STANDARD_TIER_LIMIT = 256 * 1024;

    private ServiceBusEmulator emulator;
    private SdkClients clients;

    @BeforeEach
    void start() {
        emulator = ServiceBusEmulator.builder().topic("alerts", "platform-delivery").build().start();
        clients = new SdkClients(emulator);
    }

    @AfterEach
    void stop() throws Exception {
        clients.close();
        emulator.close();
    }

    @Test
    void aMessageOver256KibIsRefusedAndNothingIsEnqueued() {
        ServiceBusSenderClient sender = clients.sender("alerts");
        ServiceBusMessage tooLarge = new ServiceBusMessage(BinaryData.fromBytes(new byte[300 * 1024]))
                .setMessageId("too-large");

        assertThatThrownBy(() -> sender.sendMessage(tooLarge)).isInstanceOf(ServiceBusException.class)
                .hasMessageContaining("size");
        assertThat(emulator.activeMessageCount("alerts", "platform-delivery")).isZero();
    }

    @Test
    void aMessageJustUnderTheLimitGoesThrough() {
        ServiceBusSenderClient sender = clients.sender("alerts");
        sender.sendMessage(new ServiceBusMessage(BinaryData.fromBytes(new byte[250 * 1024])).setMessageId("large"));

        assertThat(receiveOne(clients.receiver("alerts", "platform-delivery")).getBody().toBytes())
                .hasSize(250 * 1024);
    }

    @Test
    void theSdkSizesItsBatchesByTheAdvertisedLimit() {
        ServiceBusMessageBatch batch = clients.sender("alerts").createMessageBatch();

        assertThat(batch.getMaxSizeInBytes()).isEqualTo(STANDARD_TIER_LIMIT);
        assertThat(batch.tryAddMessage(new ServiceBusMessage(BinaryData.fromBytes(new byte[200 * 1024])))).isTrue();
        assertThat(batch.tryAddMessage(new ServiceBusMessage(BinaryData.fromBytes(new byte[100 * 1024]))))
                .as("no room left beside the first").isFalse();
        assertThatThrownBy(() -> batch.tryAddMessage(new ServiceBusMessage(BinaryData.fromBytes(new byte[300 * 1024]))))
                .as("too large on its own").isInstanceOf(ServiceBusException.class);
    }

    @Test
    void theEmulatorItselfRejectsAnOversizeTransferWithMessageSizeExceeded() throws Exception {
        try (RawAmqpSender sender = new RawAmqpSender(emulator.port(), "alerts")) {
            assertThat(sender.remoteMaxMessageSize()).isEqualTo(UnsignedLong.valueOf(STANDARD_TIER_LIMIT));

            DeliveryState outcome = sender.send(encodedMessage(300 * 1024));

            assertThat(outcome).isInstanceOfSatisfying(Rejected.class, rejected -> assertThat(
                    rejected.getError().getCondition().toString()).isEqualTo("amqp:link:message-size-exceeded"));
            assertThat(emulator.activeMessageCount("alerts", "platform-delivery")).isZero();

            assertThat(sender.send(encodedMessage(1024))).as("the link still works").isInstanceOf(Accepted.class);
            assertThat(emulator.activeMessageCount("alerts", "platform-delivery")).isEqualTo(1);
        }
    }

    private static byte[] encodedMessage(int bodyBytes) {
        Message message = Proton.message();
        message.setMessageId("raw-" + bodyBytes);
        message.setBody(new Data(new Binary(new byte[bodyBytes])));
        byte[] buffer = new byte[bodyBytes + 1024];
        return Arrays.copyOf(buffer, message.encode(buffer, 0, buffer.length));
    }
}
