package io.alertrelay.adapter.servicebus;

import com.azure.core.credential.TokenCredential;
import com.azure.core.amqp.AmqpRetryMode;
import com.azure.core.amqp.AmqpRetryOptions;
import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusException;
import com.azure.messaging.servicebus.ServiceBusFailureReason;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusMessageBatch;
import com.azure.messaging.servicebus.ServiceBusSenderAsyncClient;
import io.alertrelay.domain.AlertMessage;
import io.alertrelay.port.AlertPublisher;
import io.alertrelay.port.PublishFailedException;
import io.alertrelay.settings.ServiceBusTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Publishes alerts to a Service Bus topic with azure-messaging-servicebus (DESIGN §6). One sender per instance,
 * reused for every call; it connects on first use, not when built. {@link #publish} blocks until the broker
 * acknowledged the message or {@code sendTimeout} passed — the webhook must answer Azure Monitor within seconds.
 *
 * <p>Concurrent publishes share batches ({@link GroupedSends}): while one batch is on its way, the messages of other
 * invocations queue, and the next send carries them together. The broker accepts or refuses a batch as a whole, so
 * each caller still learns whether its own message is on the topic. One round trip then carries many messages, and
 * the SDK's CPU per send was most of what publishing cost (issue 16's profile). Client-side batching of sends is in
 * Microsoft's throughput guidance (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-performance-improvements).
 */
public final class ServiceBusAlertPublisher implements AlertPublisher, AutoCloseable {

    private final ServiceBusSenderAsyncClient sender;
    private final Duration sendTimeout;
    private final GroupedSends<ServiceBusMessage> sends = new GroupedSends<>(this::sendInBatches);
    /** When a send was last refused because the topic is full, until a send is accepted again (null: not full). */
    private volatile Instant refusedAsFullAt;

    private ServiceBusAlertPublisher(ServiceBusSenderAsyncClient sender, Duration sendTimeout) {
        this.sender = sender;
        this.sendTimeout = sendTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void publish(AlertMessage message) {
        try {
            sends.send(toServiceBusMessage(message), sendTimeout);
        } catch (GroupedSends.SendFailedException e) {
            throw new PublishFailedException("Service Bus did not acknowledge message " + message.messageId()
                    + ": " + e.getCause().getClass().getSimpleName(), e.getCause());
        }
    }

    /**
     * Sends a group of queued messages in as few batches as the topic's size limit allows, in order. A message
     * that does not fit even an empty batch fails alone, as a single send of it would.
     */
    private void sendInBatches(List<GroupedSends.Item<ServiceBusMessage>> group) {
        ServiceBusMessageBatch batch = newBatch();
        List<GroupedSends.Item<ServiceBusMessage>> inBatch = new ArrayList<>();
        for (GroupedSends.Item<ServiceBusMessage> item : group) {
            if (fits(batch, item)) {
                inBatch.add(item);
                continue;
            }
            if (inBatch.isEmpty()) {
                continue; // fits() failed it: too large on its own
            }
            send(batch, inBatch);
            batch = newBatch();
            inBatch = new ArrayList<>();
            if (fits(batch, item)) {
                inBatch.add(item);
            }
        }
        if (!inBatch.isEmpty()) {
            send(batch, inBatch);
        }
    }

    /** Adds the item's message; false when the batch is full — and then, if the batch is empty, fails the item. */
    private static boolean fits(ServiceBusMessageBatch batch, GroupedSends.Item<ServiceBusMessage> item) {
        try {
            if (batch.tryAddMessage(item.value())) {
                return true;
            }
            if (batch.getCount() == 0) {
                item.failed(new IllegalArgumentException("the message is larger than the topic accepts ("
                        + batch.getMaxSizeInBytes() + " bytes)"));
            }
            return false;
        } catch (RuntimeException tooLarge) {
            item.failed(tooLarge); // the SDK refuses a message larger than a whole batch
            return false;
        }
    }

    private ServiceBusMessageBatch newBatch() {
        return sender.createMessageBatch().block(sendTimeout);
    }

    private void send(ServiceBusMessageBatch batch, List<GroupedSends.Item<ServiceBusMessage>> items) {
        try {
            sender.sendMessages(batch).block(sendTimeout);
            refusedAsFullAt = null;
            items.forEach(GroupedSends.Item::sent);
        } catch (RuntimeException e) {
            if (isTopicFull(e)) {
                refusedAsFullAt = Instant.now();
            }
            items.forEach(i -> i.failed(e));
        }
    }

    /**
     * Service Bus refuses sends to an entity at its maximum size ("subsequent incoming messages are rejected",
     * <a href="https://learn.microsoft.com/azure/service-bus-messaging/service-bus-quotas">quotas</a>), which the
     * SDK reports as {@link ServiceBusFailureReason#QUOTA_EXCEEDED}.
     */
    private static boolean isTopicFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ServiceBusException se && se.getReason() == ServiceBusFailureReason.QUOTA_EXCEEDED) {
                return true;
            }
        }
        return false;
    }

    /**
     * "full" while the latest send was refused because the topic is at its maximum size (the webhook answers 503
     * until it drains: nothing is accepted); otherwise opens the send link (cheap once connected) to show the topic is
     * reachable, within the send timeout.
     */
    @Override
    public String health() {
        Instant full = refusedAsFullAt;
        if (full != null) {
            return "full (the topic refused the latest send, at " + full + ", as at its maximum size)";
        }
        try {
            sender.createMessageBatch().block(sendTimeout);
            return "ok";
        } catch (RuntimeException e) {
            return "unreachable (" + e.getClass().getSimpleName() + ")";
        }
    }

    static ServiceBusMessage toServiceBusMessage(AlertMessage message) {
        ServiceBusMessage m = new ServiceBusMessage(message.body());
        m.setMessageId(message.messageId());
        m.setSubject(message.subject());
        m.setContentType(message.contentType());
        m.getApplicationProperties().putAll(message.properties());
        return m;
    }

    @Override
    public void close() {
        sender.close();
    }

    /** Connection string, or namespace + the app's credential; the topic; and the bound on one publish. */
    public static final class Builder {
        private ServiceBusTarget target;
        private TokenCredential credential;
        private String topic;
        private Duration sendTimeout = Duration.ofSeconds(5);

        public Builder target(ServiceBusTarget target) {
            this.target = target;
            return this;
        }

        /** The Microsoft Entra credential, needed when the target is a namespace (managed identity). */
        public Builder credential(TokenCredential credential) {
            this.credential = credential;
            return this;
        }

        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        public Builder sendTimeout(Duration sendTimeout) {
            this.sendTimeout = sendTimeout;
            return this;
        }

        public ServiceBusAlertPublisher build() {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(topic, "topic");
            // The SDK's own retries stay inside our bound: one quick retry, then the webhook answers 503 and
            // Azure Monitor retries the whole call.
            AmqpRetryOptions retry = new AmqpRetryOptions()
                    .setMode(AmqpRetryMode.FIXED)
                    .setMaxRetries(1)
                    .setDelay(Duration.ofMillis(200))
                    .setTryTimeout(sendTimeout);
            ServiceBusClientBuilder client = new ServiceBusClientBuilder().retryOptions(retry);
            if (target.connectionString().isPresent()) {
                client.connectionString(target.connectionString().get().reveal());
            } else {
                client.credential(target.fullyQualifiedNamespace().orElseThrow(),
                        Objects.requireNonNull(credential, "credential (for a namespace without a connection string)"));
            }
            return new ServiceBusAlertPublisher(client.sender().topicName(topic).buildAsyncClient(), sendTimeout);
        }
    }
}
