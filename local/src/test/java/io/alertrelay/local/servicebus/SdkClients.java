package io.alertrelay.local.servicebus;

import com.azure.core.amqp.AmqpRetryMode;
import com.azure.core.amqp.AmqpRetryOptions;
import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.models.ServiceBusReceiveMode;
import com.azure.messaging.servicebus.models.SubQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Real Service Bus SDK clients on one emulator, sharing one AMQP connection. Retry timeouts are short, so a
 * broken emulator fails a test in seconds instead of hanging it for minutes.
 */
final class SdkClients implements AutoCloseable {
    static final AmqpRetryOptions FAST_RETRIES = new AmqpRetryOptions()
            .setMode(AmqpRetryMode.FIXED)
            .setMaxRetries(1)
            .setDelay(Duration.ofMillis(200))
            .setTryTimeout(Duration.ofSeconds(5));

    private final ServiceBusClientBuilder builder;
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    SdkClients(ServiceBusEmulator emulator) {
        this.builder = new ServiceBusClientBuilder()
                .connectionString(emulator.connectionString())
                .retryOptions(FAST_RETRIES);
    }

    ServiceBusClientBuilder builder() {
        return builder;
    }

    ServiceBusSenderClient sender(String topic) {
        return track(builder.sender().topicName(topic).buildClient());
    }

    /** A peek-lock receiver without automatic lock renewal, so locks expire when a test lets them. */
    ServiceBusReceiverClient receiver(String topic, String subscription) {
        return receiver(topic, subscription, UnaryOperator.identity());
    }

    ServiceBusReceiverClient receiver(String topic, String subscription,
            UnaryOperator<ServiceBusClientBuilder.ServiceBusReceiverClientBuilder> options) {
        return track(options.apply(builder.receiver().topicName(topic).subscriptionName(subscription)
                .receiveMode(ServiceBusReceiveMode.PEEK_LOCK)
                .maxAutoLockRenewDuration(Duration.ZERO)).buildClient());
    }

    ServiceBusReceiverClient deadLetterReceiver(String topic, String subscription) {
        return receiver(topic, subscription, options -> options.subQueue(SubQueue.DEAD_LETTER_QUEUE));
    }

    <T extends AutoCloseable> T track(T client) {
        opened.push(client);
        return client;
    }

    /** Receives until {@code count} messages arrived or {@code timeout} passed. */
    static List<ServiceBusReceivedMessage> receive(ServiceBusReceiverClient receiver, int count, Duration timeout) {
        List<ServiceBusReceivedMessage> received = new ArrayList<>();
        Instant deadline = Instant.now().plus(timeout);
        while (received.size() < count && Instant.now().isBefore(deadline)) {
            Duration left = Duration.between(Instant.now(), deadline);
            receiver.receiveMessages(count - received.size(), left.isNegative() ? Duration.ofMillis(1) : left)
                    .forEach(received::add);
        }
        return received;
    }

    static ServiceBusReceivedMessage receiveOne(ServiceBusReceiverClient receiver) {
        List<ServiceBusReceivedMessage> received = receive(receiver, 1, Duration.ofSeconds(10));
        if (received.isEmpty()) {
            throw new AssertionError("No message arrived within 10 s");
        }
        return received.get(0);
    }

    static void sleepUntil(Instant instant) throws InterruptedException {
        long millis = Duration.between(Instant.now(), instant).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }

    @Override
    public void close() throws Exception {
        while (!opened.isEmpty()) {
            opened.pop().close();
        }
    }
}
