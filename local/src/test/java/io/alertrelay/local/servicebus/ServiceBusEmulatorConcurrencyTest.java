package io.alertrelay.local.servicebus;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusProcessorClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ServiceBusEmulatorConcurrencyTest {
    private static final int SENDING_THREADS = 8;
    private static final int MESSAGES_PER_THREAD = 50;

    @Test
    void concurrentSendersAndAConcurrentProcessorNeitherLoseNorDuplicateMessages() throws Exception {
        try (ServiceBusEmulator emulator = ServiceBusEmulator.builder().topic("alerts", "platform-delivery")
                        .build().start();
                SdkClients clients = new SdkClients(emulator)) {
            Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            ServiceBusProcessorClient processor = clients.track(clients.builder().processor()
                    .topicName("alerts").subscriptionName("platform-delivery")
                    .maxConcurrentCalls(8)
                    .processMessage(context -> deliveries.computeIfAbsent(context.getMessage().getMessageId(),
                            id -> new AtomicInteger()).incrementAndGet())
                    .processError(context -> errors.add(context.getException()))
                    .buildProcessorClient());
            processor.start();

            ServiceBusSenderClient sender = clients.sender("alerts");
            ExecutorService threads = Executors.newFixedThreadPool(SENDING_THREADS);
            try {
                List<Future<?>> sends = new ArrayList<>();
                for (int t = 0; t < SENDING_THREADS; t++) {
                    int thread = t;
                    sends.add(threads.submit(() -> {
                        for (int i = 0; i < MESSAGES_PER_THREAD; i++) {
                            sender.sendMessage(new ServiceBusMessage("m").setMessageId(thread + "-" + i));
                        }
                    }));
                }
                for (Future<?> send : sends) {
                    send.get();
                }
            } finally {
                threads.shutdown();
            }

            int total = SENDING_THREADS * MESSAGES_PER_THREAD;
            Await.until("every message is processed and completed", Duration.ofSeconds(30),
                    () -> deliveries.size() == total
                            && emulator.activeMessageCount("alerts", "platform-delivery") == 0);
            assertThat(deliveries.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
            assertThat(errors).isEmpty();
        }
    }
}
