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
 * Takes each alert off its lane's subscription, stores it and delivers it to the platform (DESIGN §6): two functions,
 * one per lane (issue 14), so each has its own message pump with its own {@code maxConcurrentCalls} slots and a
 * flood queued in the bulk lane never holds up the standard lane. {@code AlertDequeuer} reads the standard lane
 * ({@code ALERTS_SUBSCRIPTION}, "platform-delivery"), {@code AlertDequeuerBulk} the bulk lane
 * ({@code ALERTS_BULK_SUBSCRIPTION}, "platform-delivery-bulk"); both run the same use case. The host's concurrency
 * settings apply per function: "each function needs to have a way to throttle how many concurrent invocations it's
 * processing" (https://learn.microsoft.com/azure/azure-functions/functions-concurrency).
 * The host completes the message when this returns and abandons it when this throws; after maxDeliveryCount the
 * broker dead-letters it in that subscription (Java functions cannot dead-letter explicitly).
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

    /** The standard lane. */
    @FunctionName("AlertDequeuer")
    public void run(
            @ServiceBusTopicTrigger(name = "message", topicName = "%ALERTS_TOPIC%",
                    subscriptionName = "%ALERTS_SUBSCRIPTION%", connection = "ServiceBusConnection",
                    dataType = "binary") byte[] message,
            @BindingName("MessageId") String messageId,
            @BindingName("DeliveryCount") int deliveryCount,
            @BindingName("ApplicationProperties") Map<String, Object> properties,
            ExecutionContext context) {
        deliver("AlertDequeuer", new DequeuedMessage(message, messageId, deliveryCount, properties), context);
    }

    /** The bulk lane: a tenant's alerts beyond its fair share, and replays. */
    @FunctionName("AlertDequeuerBulk")
    public void runBulk(
            @ServiceBusTopicTrigger(name = "message", topicName = "%ALERTS_TOPIC%",
                    subscriptionName = "%ALERTS_BULK_SUBSCRIPTION%", connection = "ServiceBusConnection",
                    dataType = "binary") byte[] message,
            @BindingName("MessageId") String messageId,
            @BindingName("DeliveryCount") int deliveryCount,
            @BindingName("ApplicationProperties") Map<String, Object> properties,
            ExecutionContext context) {
        deliver("AlertDequeuerBulk", new DequeuedMessage(message, messageId, deliveryCount, properties), context);
    }

    /** Throws (RetryLaterException, a store failure) for the host to abandon the message: the broker redelivers. */
    private void deliver(String function, DequeuedMessage message, ExecutionContext context) {
        delivery.get().handle(message, log.get().forInvocation(function, context.getInvocationId(),
                context.getLogger()));
    }
}
