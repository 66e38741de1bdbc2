package io.alertrelay.local.servicebus;

/** A topic subscription: its queue of messages and the dead-letter queue beside it. */
final class Subscription {
    private final String name;
    private final MessageQueue active;
    private final MessageQueue deadLetter;

    Subscription(String topicName, String name, EntitySettings settings) {
        this.name = name;
        String path = topicName + "/Subscriptions/" + name;
        this.deadLetter = new MessageQueue(path + "/$DeadLetterQueue", settings.lockDuration(), Integer.MAX_VALUE,
                null);
        this.active = new MessageQueue(path, settings.lockDuration(), settings.maxDeliveryCount(), deadLetter);
    }

    String name() {
        return name;
    }

    MessageQueue active() {
        return active;
    }

    MessageQueue deadLetter() {
        return deadLetter;
    }
}
