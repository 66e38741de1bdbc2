package io.alertrelay.local.trigger;

import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusErrorContext;
import com.azure.messaging.servicebus.ServiceBusProcessorClient;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessageContext;
import io.alertrelay.functions.AlertDequeuer;
import io.alertrelay.local.host.LocalExecutionContext;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Drives {@link AlertDequeuer} the way the Functions host's Service Bus trigger does (host.json
 * {@code autoCompleteMessages: true}): peek-lock receive with the real SDK processor, bind body, MessageId and
 * DeliveryCount, complete when the function returns, abandon when it throws — the broker then redelivers with
 * DeliveryCount + 1 and dead-letters after maxDeliveryCount. Lock renewal covers long invocations, as
 * {@code maxAutoLockRenewalDuration} does in the host.
 */
public final class ServiceBusTriggerDriver implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ServiceBusTriggerDriver.class.getName());

    private final ServiceBusProcessorClient processor;
    private final AlertDequeuer function = new AlertDequeuer();

    public ServiceBusTriggerDriver(ServiceBusClientBuilder client, String topic, String subscription,
                                   int maxConcurrentCalls, Duration maxAutoLockRenewal) {
        this.processor = client.processor()
                .topicName(topic)
                .subscriptionName(subscription)
                .disableAutoComplete()
                .prefetchCount(0)
                .maxConcurrentCalls(maxConcurrentCalls)
                .maxAutoLockRenewDuration(maxAutoLockRenewal)
                .processMessage(this::invoke)
                .processError(ServiceBusTriggerDriver::onError)
                .buildProcessorClient();
    }

    public void start() {
        processor.start();
    }

    private void invoke(ServiceBusReceivedMessageContext context) {
        ServiceBusReceivedMessage m = context.getMessage();
        try {
            // The AMQP header counts earlier failed deliveries (0 first); the host's DeliveryCount binding, like .NET's
            // ServiceBusReceivedMessage, counts this one too (1 first) — and MAX_DELIVERY_COUNT is compared to it.
            function.run(m.getBody().toBytes(), m.getMessageId(), (int) m.getDeliveryCount() + 1,
                    new LocalExecutionContext("AlertDequeuer"));
        } catch (RuntimeException e) {
            context.abandon();
            return;
        }
        context.complete();
    }

    private static void onError(ServiceBusErrorContext error) {
        LOG.log(Level.FINE, "Service Bus processor error (" + error.getErrorSource() + "): "
                + error.getException().getClass().getSimpleName());
    }

    /** Stops taking messages; messages being processed finish first (the SDK waits for running handlers). */
    @Override
    public void close() {
        processor.close();
    }
}
