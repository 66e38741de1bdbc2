package io.alertrelay.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.ServiceBusTopicTrigger;
import io.alertrelay.delivery.DequeuedMessage;

/**
 * Takes each alert off the "platform-delivery" subscription, stores it and delivers it to the platform (DESIGN §6).
 * The host completes the message when this returns and abandons it when this throws; after maxDeliveryCount the
 * broker dead-letters it (Java functions cannot dead-letter explicitly).
 */
public class AlertDequeuer {

    @FunctionName("AlertDequeuer")
    public void run(
            @ServiceBusTopicTrigger(name = "message", topicName = "%ALERTS_TOPIC%",
                    subscriptionName = "%ALERTS_SUBSCRIPTION%", connection = "ServiceBusConnection") byte[] message,
            @BindingName("MessageId") String messageId,
            @BindingName("DeliveryCount") int deliveryCount,
            ExecutionContext context) {
        Wiring wiring = Wiring.current();
        // Throws RetryLaterException (or a store failure) for the host to abandon the message: the broker redelivers.
        wiring.delivery().handle(new DequeuedMessage(message, messageId, deliveryCount),
                wiring.log("AlertDequeuer", context.getInvocationId(), context.getLogger()));
    }
}
