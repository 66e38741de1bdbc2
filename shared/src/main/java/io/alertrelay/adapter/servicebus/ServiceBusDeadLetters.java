package io.alertrelay.adapter.servicebus;

import com.azure.core.amqp.AmqpRetryMode;
import com.azure.core.amqp.AmqpRetryOptions;
import com.azure.core.credential.TokenCredential;
import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.models.ServiceBusReceiveMode;
import com.azure.messaging.servicebus.models.SubQueue;
import io.alertrelay.port.DeadLetters;
import io.alertrelay.settings.ServiceBusTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The dead-letter queues of the alerts topic's subscriptions — one per lane (issue 14), since a message is
 * dead-lettered in the subscription it was delivered from — through the Service Bus SDK:
 * {@code <topic>/Subscriptions/<sub>/$DeadLetterQueue}
 * ("Dead-letter queues", https://learn.microsoft.com/azure/service-bus-messaging/service-bus-dead-letter-queues).
 * Removing and counting go through each subscription's queue in turn.
 *
 * <p>Service Bus cannot receive a chosen message (only a deferred one, by sequence number), so removing replayed
 * events' messages first peeks — which locks nothing — to find how far into the queue the last of them lies, then
 * receives exactly that many in peek-lock mode, completes the ones of those events and holds the others until the
 * end, when it abandons them. Holding them keeps the scan from being handed the same ones again; asking for exactly
 * what lies ahead leaves no credit on the link, so the abandoned ones are not delivered straight back to it
 * (and left locked until the lock duration ends) but are free for the next receiver at once. A scan reads at most
 * {@code maxScan} messages (10,000); a message beyond it, or held by another receiver at that moment, stays in the
 * queue and a later replay of its event removes it. Counting peeks too.
 */
public final class ServiceBusDeadLetters implements DeadLetters, AutoCloseable {

    /** The application property a replay message carries (its MessageId is its own): the event it belongs to. */
    public static final String EVENT_ID_PROPERTY = "eventId";
    private static final int BATCH = 100;

    private final ServiceBusClientBuilder client;
    private final String topic;
    private final List<String> subscriptions;
    private final Duration receiveWait;
    private final int maxScan;

    private ServiceBusDeadLetters(Builder b) {
        this.client = b.client;
        this.topic = b.topic;
        this.subscriptions = List.copyOf(b.subscriptions);
        this.receiveWait = b.receiveWait;
        this.maxScan = b.maxScan;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public int remove(Collection<String> eventIds) {
        Set<String> wanted = new HashSet<>(eventIds);
        int removed = 0;
        for (String subscription : subscriptions) {
            removed += remove(subscription, wanted);
        }
        return removed;
    }

    private int remove(String subscription, Set<String> wanted) {
        int span = wanted.isEmpty() ? 0 : spanOf(subscription, wanted);
        if (span == 0) {
            return 0; // none of them is in the queue: nothing gets locked
        }
        List<ServiceBusReceivedMessage> held = new ArrayList<>();
        int removed = 0;
        try (ServiceBusReceiverClient receiver = receiver(subscription)) {
            int remaining = span;
            while (remaining > 0) {
                // exactly what is left: a receive that gets all it asked for leaves no credit on the link
                List<ServiceBusReceivedMessage> batch = receiver.receiveMessages(Math.min(BATCH, remaining),
                        receiveWait).stream().toList();
                if (batch.isEmpty()) {
                    break; // another receiver holds the rest
                }
                remaining -= batch.size();
                for (ServiceBusReceivedMessage m : batch) {
                    if (belongs(m, wanted)) {
                        receiver.complete(m);
                        removed++;
                    } else {
                        held.add(m);
                    }
                }
            }
            held.forEach(receiver::abandon);
        }
        return removed;
    }

    /** How many messages, from the head of the queue, a scan must receive to reach the last of these events'. */
    private int spanOf(String subscription, Set<String> wanted) {
        int position = 0;
        int span = 0;
        try (ServiceBusReceiverClient receiver = receiver(subscription)) {
            long from = 0;
            while (position < maxScan) {
                List<ServiceBusReceivedMessage> batch = receiver.peekMessages(Math.min(BATCH, maxScan - position),
                        from).stream().toList();
                if (batch.isEmpty()) {
                    break;
                }
                for (ServiceBusReceivedMessage m : batch) {
                    position++;
                    if (belongs(m, wanted)) {
                        span = position;
                    }
                }
                from = batch.get(batch.size() - 1).getSequenceNumber() + 1;
            }
        }
        return span;
    }

    private static boolean belongs(ServiceBusReceivedMessage m, Set<String> wanted) {
        return wanted.contains(m.getMessageId())
                || wanted.contains(String.valueOf(m.getApplicationProperties().get(EVENT_ID_PROPERTY)));
    }

    /** Across the subscriptions' queues, standard lane first, reading at most {@code upTo} messages in all. */
    @Override
    public List<String> eventIds(int upTo) {
        List<String> ids = new ArrayList<>();
        for (String subscription : subscriptions) {
            if (ids.size() < upTo) {
                ids.addAll(eventIds(subscription, upTo - ids.size()));
            }
        }
        return ids;
    }

    private List<String> eventIds(String subscription, int upTo) {
        List<String> ids = new ArrayList<>();
        try (ServiceBusReceiverClient receiver = receiver(subscription)) {
            long from = 0;
            int read = 0;
            while (read < upTo) {
                List<ServiceBusReceivedMessage> batch = receiver.peekMessages(Math.min(BATCH, upTo - read), from)
                        .stream().toList();
                if (batch.isEmpty()) {
                    break;
                }
                for (ServiceBusReceivedMessage m : batch) {
                    Object eventId = m.getApplicationProperties().get(EVENT_ID_PROPERTY);
                    ids.add(eventId != null ? String.valueOf(eventId) : m.getMessageId());
                }
                read += batch.size();
                from = batch.get(batch.size() - 1).getSequenceNumber() + 1;
            }
        }
        return ids;
    }

    /** Across the subscriptions' queues, counting at most {@code upTo} in all. */
    @Override
    public int count(int upTo) {
        int count = 0;
        for (String subscription : subscriptions) {
            if (count < upTo) {
                count += count(subscription, upTo - count);
            }
        }
        return count;
    }

    private int count(String subscription, int upTo) {
        int count = 0;
        try (ServiceBusReceiverClient receiver = receiver(subscription)) {
            long from = 0;
            while (count < upTo) {
                List<ServiceBusReceivedMessage> batch = receiver.peekMessages(Math.min(BATCH, upTo - count), from)
                        .stream().toList();
                if (batch.isEmpty()) {
                    break;
                }
                count += batch.size();
                from = batch.get(batch.size() - 1).getSequenceNumber() + 1;
            }
        }
        return count;
    }

    private ServiceBusReceiverClient receiver(String subscription) {
        return client.receiver().topicName(topic).subscriptionName(subscription).subQueue(SubQueue.DEAD_LETTER_QUEUE)
                .receiveMode(ServiceBusReceiveMode.PEEK_LOCK).prefetchCount(0).disableAutoComplete()
                .maxAutoLockRenewDuration(Duration.ZERO).buildClient();
    }

    @Override
    public void close() {
        // each call opens and closes its own receiver
    }

    /** Where the queues are: the namespace (connection string, or namespace + credential), topic and subscriptions. */
    public static final class Builder {
        private ServiceBusClientBuilder client;
        private String topic;
        private List<String> subscriptions;
        private Duration receiveWait = Duration.ofSeconds(2);
        private int maxScan = 10_000;

        private Builder() {
        }

        public Builder target(ServiceBusTarget target, TokenCredential credential) {
            ServiceBusClientBuilder b = new ServiceBusClientBuilder().retryOptions(new AmqpRetryOptions()
                    .setMode(AmqpRetryMode.EXPONENTIAL).setMaxRetries(2).setTryTimeout(Duration.ofSeconds(10)));
            if (target.connectionString().isPresent()) {
                b.connectionString(target.connectionString().get().reveal());
            } else {
                b.credential(target.fullyQualifiedNamespace().orElseThrow(),
                        Objects.requireNonNull(credential, "credential (for a namespace without a connection string)"));
            }
            this.client = b;
            return this;
        }

        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        public Builder subscription(String subscription) {
            return subscriptions(List.of(subscription));
        }

        /** Several subscriptions of the topic (the lanes): their dead-letter queues, in this order. */
        public Builder subscriptions(List<String> subscriptions) {
            this.subscriptions = List.copyOf(subscriptions);
            return this;
        }

        /** How long a receive waits for more dead-lettered messages before the scan ends (2 s). */
        public Builder receiveWait(Duration receiveWait) {
            this.receiveWait = receiveWait;
            return this;
        }

        /** The most dead-lettered messages one removal reads (10,000). */
        public Builder maxScan(int maxScan) {
            if (maxScan < 1) {
                throw new IllegalArgumentException("maxScan must be at least 1");
            }
            this.maxScan = maxScan;
            return this;
        }

        public ServiceBusDeadLetters build() {
            Objects.requireNonNull(client, "target");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(subscriptions, "subscription");
            if (subscriptions.isEmpty()) {
                throw new IllegalArgumentException("at least one subscription");
            }
            return new ServiceBusDeadLetters(this);
        }
    }
}
