package io.alertrelay.delivery;

/**
 * One message as the Service Bus trigger binds it.
 *
 * @param deliveryCount 1 on the first delivery; the broker dead-letters after MAX_DELIVERY_COUNT
 */
public record DequeuedMessage(byte[] body, String messageId, int deliveryCount) {
}
