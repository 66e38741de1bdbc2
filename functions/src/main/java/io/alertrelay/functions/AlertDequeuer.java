package io.alertrelay.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.ServiceBusTopicTrigger;
import io.alertrelay.delivery.AlertDelivery;
import io.alertrelay.delivery.DequeuedMessage;
import io.alertrelay.logging.PipelineLog;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Takes each alert off the "platform-delivery" subscription, stores it and delivers it to the platform (DESIGN §6).
 * The host completes the message when this returns and abandons it when this throws; after maxDeliveryCount the
 * broker dead-letters it (Java functions cannot dead-letter explicitly).
 *
 * <p>{@code dataType = "binary"} is what lets the worker bind the body to {@code byte[]}: "Bind binary inputs or
 * outputs to byte[], by setting the dataType field in your function.json to binary"
 * (https://learn.microsoft.com/azure/azure-functions/functions-reference-java#binary-data). Without it the host sends
 * a string, the worker cannot make a byte[] of it, and every message is abandoned until it is dead-lettered.
 * {@code MessageId}, {@code DeliveryCount} and {@code ApplicationProperties} (the claim-check mark the webhook sets)
 * are the trigger's message metadata
 * (https://learn.microsoft.com/azure/azure-functions/functions-bindings-service-bus-trigger#message-metadata).
 */
public class AlertDequeuer {

    private final Supplier<AlertDelivery> delivery;
    private final Supplier<PipelineLog> log;

    public AlertDequeuer(Supplier<AlertDelivery> delivery, Supplier<PipelineLog> log) {
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.log = Objects.requireNonNull(log, "log");
    }

    @FunctionName("AlertDequeuer")
    public void run(
            @ServiceBusTopicTrigger(name = "message", topicName = "%ALERTS_TOPIC%",
                    subscriptionName = "%ALERTS_SUBSCRIPTION%", connection = "ServiceBusConnection",
                    dataType = "binary") byte[] message,
            @BindingName("MessageId") String messageId,
            @BindingName("DeliveryCount") int deliveryCount,
            @BindingName("ApplicationProperties") Map<String, Object> properties,
            ExecutionContext context) {
        // Throws (RetryLaterException, a store failure) for the host to abandon the message: the broker redelivers.
        delivery.get().handle(new DequeuedMessage(message, messageId, deliveryCount, properties),
                log.get().forInvocation("AlertDequeuer", context.getInvocationId(), context.getLogger()));
    }
}
