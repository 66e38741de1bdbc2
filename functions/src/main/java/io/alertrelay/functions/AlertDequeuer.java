package io.alertrelay.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.ServiceBusTopicTrigger;

/**
 * Takes each alert off the "platform-delivery" subscription, stores it and delivers it to the platform (DESIGN §6).
 * The host completes the message when this returns and abandons it when this throws; after maxDeliveryCount the
 * broker dead-letters it.
 *
 * <p>Store-and-deliver is the next step of the pipeline (issue 3). Until it lands this function throws, so that
 * every message stays on the bus (and ends in the dead-letter queue, where it can be resubmitted) instead of being
 * completed and lost.
 */
public class AlertDequeuer {

    @FunctionName("AlertDequeuer")
    public void run(
            @ServiceBusTopicTrigger(name = "message", topicName = "%ALERTS_TOPIC%",
                    subscriptionName = "%ALERTS_SUBSCRIPTION%", connection = "ServiceBusConnection") byte[] message,
            @BindingName("MessageId") String messageId,
            @BindingName("DeliveryCount") int deliveryCount,
            ExecutionContext context) {
        throw new IllegalStateException("delivery is not implemented yet; message " + messageId
                + " stays on the bus (delivery " + deliveryCount + ")");
    }
}
