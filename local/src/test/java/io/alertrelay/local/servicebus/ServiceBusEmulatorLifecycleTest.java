package io.alertrelay.local.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.messaging.servicebus.ServiceBusException;
import com.azure.messaging.servicebus.ServiceBusFailureReason;
import com.azure.messaging.servicebus.ServiceBusMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServiceBusEmulatorLifecycleTest {

    @Test
    void manyEmulatorsCanBeStartedAndStoppedWithoutLeavingThreadsBehind() throws Exception {
        for (int i = 0; i < 30; i++) {
            try (ServiceBusEmulator emulator = ServiceBusEmulator.builder().topic("alerts", "s").build().start();
                    Socket client = new Socket(InetAddress.getLoopbackAddress(), emulator.port())) {
                assertThat(client.isConnected()).isTrue();
            }
        }
        Await.until("no emulator thread is left", Duration.ofSeconds(5), () -> emulatorThreads() == 0);
    }

    @Test
    void closingTheEmulatorDisconnectsItsClientsAndFreesItsPort() throws Exception {
        ServiceBusEmulator emulator = ServiceBusEmulator.builder().topic("alerts", "s").build().start();
        int port = emulator.port();
        try (SdkClients clients = new SdkClients(emulator)) {
            clients.sender("alerts").sendMessage(new ServiceBusMessage("hello"));
            emulator.close();

            Await.until("the event loop has stopped", Duration.ofSeconds(5), () -> emulatorThreads() == 0);
            try (ServerSocket rebound = new ServerSocket()) {
                rebound.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
        }
    }

    @Test
    void theConnectionStringPointsTheSdkAtThePlainTcpPort() {
        try (ServiceBusEmulator emulator = ServiceBusEmulator.builder().topic("alerts", "s").build().start()) {
            assertThat(emulator.connectionString()).isEqualTo("Endpoint=sb://127.0.0.1:" + emulator.port()
                    + ";SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;"
                    + "UseDevelopmentEmulator=true");
        }
    }

    @Test
    void sendingToAnUnknownTopicFailsWithEntityNotFound() throws Exception {
        try (ServiceBusEmulator emulator = ServiceBusEmulator.builder().topic("alerts", "s").build().start();
                SdkClients clients = new SdkClients(emulator)) {
            assertThatThrownBy(() -> clients.sender("no-such-topic").sendMessage(new ServiceBusMessage("x")))
                    .isInstanceOfSatisfying(ServiceBusException.class, e -> assertThat(e.getReason())
                            .isEqualTo(ServiceBusFailureReason.MESSAGING_ENTITY_NOT_FOUND));
        }
    }

    @Test
    void anEmulatorIsStartedOnceAndOnlyUsedWhileRunning() {
        ServiceBusEmulator emulator = ServiceBusEmulator.builder().topic("alerts", "s").build();
        assertThatThrownBy(emulator::connectionString).isInstanceOf(IllegalStateException.class);
        emulator.start();
        try {
            assertThatThrownBy(emulator::start).isInstanceOf(IllegalStateException.class);
        } finally {
            emulator.close();
        }
        assertThatThrownBy(() -> emulator.activeMessageCount("alerts", "s")).isInstanceOf(IllegalStateException.class);
    }

    private static long emulatorThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("servicebus-emulator-") && thread.isAlive())
                .count();
    }
}
