package io.alertrelay.local.servicebus;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** All entities of the emulated namespace, and the clock-driven work on them (lock expiry, dispatch). */
final class Namespace {
    private final Map<String, Topic> topics = new LinkedHashMap<>();
    private final EntitySettings settings;
    private final Clock clock;

    /** @param filters topic → subscription → the SQL filter of its rule (absent: the default rule, every message) */
    Namespace(Map<String, List<String>> topology, Map<String, Map<String, SqlFilter>> filters, EntitySettings settings,
              Clock clock) {
        this.settings = settings;
        this.clock = clock;
        topology.forEach((topic, subscriptions) -> topics.put(Topic.key(topic),
                new Topic(topic, subscriptions, filters.getOrDefault(topic, Map.of()), settings)));
    }

    EntitySettings settings() {
        return settings;
    }

    Instant now() {
        return clock.instant();
    }

    Collection<Topic> topics() {
        return topics.values();
    }

    Optional<Topic> topic(String name) {
        return Optional.ofNullable(topics.get(Topic.key(name)));
    }

    /** The queue a receiver reads at this address: a subscription or its dead-letter queue. */
    Optional<MessageQueue> queue(EntityAddress address) {
        if (address.kind() != EntityAddress.Kind.SUBSCRIPTION && address.kind() != EntityAddress.Kind.DEAD_LETTER) {
            return Optional.empty();
        }
        return topic(address.topic())
                .flatMap(topic -> topic.subscription(address.subscription()))
                .map(subscription -> address.kind() == EntityAddress.Kind.DEAD_LETTER
                        ? subscription.deadLetter() : subscription.active());
    }

    /** The queue at {@code path}, as {@link MessageQueue#path()} names it (a journal's records name queues so). */
    Optional<MessageQueue> queue(String path) {
        return queues().filter(queue -> queue.path().equalsIgnoreCase(path)).findFirst();
    }

    /** From now on, every accepted message and what becomes of it is written to {@code journal}. */
    void journalTo(MessageJournal journal) {
        topics.values().forEach(topic -> topic.journalTo(journal));
    }

    /** Messages in every queue, dead-letter queues included, locked or not. */
    int messageCount() {
        return queues().mapToInt(MessageQueue::messageCount).sum();
    }

    /** Expires locks first, so that a message whose lock just ran out can be redelivered in the same pass. */
    void expireLocksAndDispatch() {
        Instant now = now();
        queues().forEach(queue -> queue.expireLocks(now));
        queues().forEach(queue -> queue.dispatch(now));
    }

    Optional<Instant> nextLockExpiry() {
        return queues().map(MessageQueue::nextLockExpiry).flatMap(Optional::stream).min(Comparator.naturalOrder());
    }

    private Stream<MessageQueue> queues() {
        return topics.values().stream()
                .map(Topic::subscriptions)
                .flatMap(Collection::stream)
                .flatMap(subscription -> Stream.of(subscription.active(), subscription.deadLetter()));
    }
}
