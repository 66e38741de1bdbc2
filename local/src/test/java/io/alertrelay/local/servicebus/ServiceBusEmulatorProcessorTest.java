package io.alertrelay.local.servicebus;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.messaging.servicebus.ServiceBusClientBuilder.ServiceBusProcessorClientBuilder;
import com.azure.messaging.servicebus.ServiceBusErrorContext;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusProcessorClient;
import com.azure.messaging.servicebus.ServiceBusReceivedMessageContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceBusEmulatorProcessorTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private ServiceBusEmulator emulator;
    private SdkClients clients;
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        start(Duration.ofMinutes(1));
    }

    private void start(Duration lockDuration) {
        if (emulator != null) {
            emulator.close();
        }
        emulator = ServiceBusEmulator.builder().topic("alerts", "platform-delivery").lockDuration(lockDuration)
                .build().start();
        clients = new SdkClients(emulator);
    }

    @AfterEach
    void stop() throws Exception {
        clients.close();
        emulator.close();
    }

    @Test
    void aProcessorWithExplicitCompleteProcessesEveryMessageOnceAndConcurrently() throws InterruptedException {
        List<ServiceBusMessage> messages = IntStream.rangeClosed(1, 20)
                .mapToObj(i -> new ServiceBusMessage("body-" + i).setMessageId("evt-" + i)).toList();
        clients.sender("alerts").sendMessages(messages);
        ConcurrentLinkedQueue<String> processed = new ConcurrentLinkedQueue<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();

        startProcessor(builder -> builder.maxConcurrentCalls(4).disableAutoComplete(), context -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(50);
                processed.add(context.getMessage().getMessageId());
                context.complete();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
            }
        });

        Await.until("all 20 messages are completed", TIMEOUT,
                () -> processed.size() == 20 && emulator.activeMessageCount("alerts", "platform-delivery") == 0);
        assertThat(processed).containsExactlyInAnyOrderElementsOf(
                messages.stream().map(ServiceBusMessage::getMessageId).toList());
        assertThat(mostAtOnce.get()).as("handlers ran concurrently").isGreaterThan(1);
        assertThat(errors).isEmpty();
    }

    @Test
    void aProcessorWithAutoCompleteCompletesMessagesItsHandlerReturnsFrom() throws InterruptedException {
        clients.sender("alerts").sendMessages(List.of(new ServiceBusMessage("a").setMessageId("evt-a"),
                new ServiceBusMessage("b").setMessageId("evt-b")));
        ConcurrentLinkedQueue<String> processed = new ConcurrentLinkedQueue<>();

        startProcessor(UnaryOperator.identity(), context -> processed.add(context.getMessage().getMessageId()));

        Await.until("both messages are auto-completed", TIMEOUT,
                () -> processed.size() == 2 && emulator.activeMessageCount("alerts", "platform-delivery") == 0);
        assertThat(processed).containsExactlyInAnyOrder("evt-a", "evt-b");
        assertThat(errors).isEmpty();
    }

    @Test
    void anExceptionInTheHandlerAbandonsTheMessageSoItIsRedelivered() throws InterruptedException {
        clients.sender("alerts").sendMessage(new ServiceBusMessage("flaky").setMessageId("evt-1"));
        ConcurrentLinkedQueue<Long> deliveryCounts = new ConcurrentLinkedQueue<>();

        startProcessor(UnaryOperator.identity(), context -> {
            long deliveryCount = context.getMessage().getDeliveryCount();
            deliveryCounts.add(deliveryCount);
            if (deliveryCount == 0) {
                throw new IllegalStateException("platform endpoint unavailable");
            }
        });

        Await.until("the second delivery is auto-completed", TIMEOUT,
                () -> deliveryCounts.size() == 2 && emulator.activeMessageCount("alerts", "platform-delivery") == 0);
        assertThat(deliveryCounts).containsExactly(0L, 1L);
        assertThat(errors).anySatisfy(
                error -> assertThat(error).hasStackTraceContaining("platform endpoint unavailable"));
    }

    @Test
    void aSlowHandlerKeepsItsLockThroughTheProcessorsAutomaticRenewal() throws InterruptedException {
        start(Duration.ofSeconds(1));
        clients.sender("alerts").sendMessage(new ServiceBusMessage("slow").setMessageId("evt-slow"));
        ConcurrentLinkedQueue<Long> deliveryCounts = new ConcurrentLinkedQueue<>();

        startProcessor(builder -> builder.maxAutoLockRenewDuration(Duration.ofMinutes(1)), context -> {
            deliveryCounts.add(context.getMessage().getDeliveryCount());
            try {
                Thread.sleep(2500); // well past the 1 s lock
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        Await.until("the message is completed", TIMEOUT,
                () -> emulator.activeMessageCount("alerts", "platform-delivery") == 0);
        assertThat(deliveryCounts).as("delivered once, never redelivered").containsExactly(0L);
        assertThat(errors).isEmpty();
    }

    private void startProcessor(UnaryOperator<ServiceBusProcessorClientBuilder> options,
            Consumer<ServiceBusReceivedMessageContext> handler) {
        ServiceBusProcessorClient processor = clients.track(options.apply(clients.builder().processor()
                        .topicName("alerts").subscriptionName("platform-delivery")
                        .processMessage(handler)
                        .processError((ServiceBusErrorContext context) -> errors.add(context.getException())))
                .buildProcessorClient());
        processor.start();
    }
}
