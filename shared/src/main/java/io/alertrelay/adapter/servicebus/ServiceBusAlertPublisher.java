package io.alertrelay.adapter.servicebus;

import com.azure.core.credential.TokenCredential;
import com.azure.core.amqp.AmqpRetryMode;
import com.azure.core.amqp.AmqpRetryOptions;
import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusSenderAsyncClient;
import io.alertrelay.domain.AlertMessage;
import io.alertrelay.port.AlertPublisher;
import io.alertrelay.port.PublishFailedException;
import io.alertrelay.settings.ServiceBusTarget;
import java.time.Duration;
import java.util.Objects;

/**
 * Publishes alerts to a Service Bus topic with azure-messaging-servicebus (DESIGN §6). One sender per instance,
 * reused for every call; it connects on first use, not when built. {@link #publish} blocks until the broker
 * acknowledged the message or {@code sendTimeout} passed — the webhook must answer Azure Monitor within seconds.
 */
public final class ServiceBusAlertPublisher implements AlertPublisher, AutoCloseable {

    private final ServiceBusSenderAsyncClient sender;
    private final Duration sendTimeout;

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
            sender.sendMessage(toServiceBusMessage(message)).block(sendTimeout);
        } catch (RuntimeException e) {
            throw new PublishFailedException("Service Bus did not acknowledge message " + message.messageId()
                    + ": " + e.getClass().getSimpleName(), e);
        }
    }

    /** Opens the send link (cheap once connected) to show the topic is reachable, within the send timeout. */
    @Override
    public String health() {
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
