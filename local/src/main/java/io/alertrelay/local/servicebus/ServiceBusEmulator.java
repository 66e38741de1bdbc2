package io.alertrelay.local.servicebus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process Azure Service Bus stand-in that speaks AMQP 1.0 to the real Service Bus SDK
 * (com.azure:azure-messaging-servicebus), on 127.0.0.1. For local runs and tests only, never production.
 *
 * <pre>{@code
 * try (ServiceBusEmulator bus = ServiceBusEmulator.builder().topic("alerts", "platform-delivery").build().start()) {
 *     new ServiceBusClientBuilder().connectionString(bus.connectionString()).sender().topicName("alerts")...
 * }
 * }</pre>
 *
 * <p>What it emulates, for the topics and subscriptions given to the builder:
 * <ul>
 *   <li>sending single messages and batches to a topic, copied to every subscription whose rule selects it
 *       (fan-out), with every property intact (MessageId, Subject, ContentType, application properties, body, ...);
 *       a subscription has the default rule (every message) or one SQL filter rule ({@link Builder#filter}) over
 *       application properties, in the part of the SQL filter grammar {@link SqlFilter} names;</li>
 *   <li>MessageId duplicate detection within {@link Builder#duplicateDetectionWindow}: a duplicate is
 *       acknowledged and dropped, and counted ({@link #duplicateMessageCount}) so a local run can show it;</li>
 *   <li>peek-lock receive on {@code <topic>/Subscriptions/<subscription>}: lock tokens, lock expiry after
 *       {@link Builder#lockDuration}, complete, abandon, dead-letter, renew-lock, settlement through $management,
 *       and a delivery count that grows with every abandon or lock expiry;</li>
 *   <li>after {@link Builder#maxDeliveryCount} failed deliveries, the move to the subscription's dead-letter
 *       queue ({@code .../$DeadLetterQueue}) with reason {@code MaxDeliveryCountExceeded};</li>
 *   <li>the message size limit ({@link Builder#maxMessageBytes}, 256 KiB like the Standard tier), advertised on
 *       the link and enforced on every transfer with {@code amqp:link:message-size-exceeded};</li>
 *   <li>the topic's maximum size ({@link Builder#maxTopicBytes}, 1 GB like a new topic): once the messages of its
 *       subscriptions and their dead-letter queues reach it, every send is refused with
 *       {@code amqp:resource-limit-exceeded} (the SDK's {@code QUOTA_EXCEEDED}) until some are settled;</li>
 *   <li>receive-and-delete mode, and peek.</li>
 * </ul>
 *
 * <p>What it refuses with {@code amqp:not-implemented} (the SDK throws): session receivers, scheduled messages
 * ({@code setScheduledEnqueueTime} and {@code scheduleMessage}), defer, transactions, and every other
 * $management operation (receive-by-sequence-number, session state, rules). A link to an entity the builder did
 * not declare is refused with {@code amqp:not-found}.
 *
 * <p>It refuses, when the builder is given one, a filter using system properties ({@code sys.}), {@code LIKE},
 * arithmetic, functions or parameters. What it does not emulate at all, silently: queues (only topics with
 * subscriptions), several rules per subscription, correlation filters and rule actions, rule management through
 * the SDK (rules exist from the builder on), time-to-live (messages never expire), auto-forwarding,
 * partitioning, entity management (entities exist from the builder on), durability (state in memory; the local
 * runtime's optional snapshot and journal, {@link Builder#persistTo}, outlive a killed process but not a power cut),
 * quotas other than the message and topic sizes, throttling, TLS and authentication: it accepts any SAS token, and
 * {@code UseDevelopmentEmulator=true} in the connection string makes the SDK connect over plain TCP. As in Service
 * Bus, locks outlive the receive link that took them: a receiver closed with unsettled messages leaves them locked
 * until the lock duration runs out.
 *
 * <p>Like Service Bus, it puts the number of earlier failed deliveries in the AMQP header's delivery-count, so the
 * Java SDK's {@code getDeliveryCount()} is 0 on the first delivery (the .NET SDK and the Functions host add 1).
 *
 * <p>Thread-safe: all state lives on one event-loop thread.
 */
public final class ServiceBusEmulator implements AutoCloseable {
    /** A new topic's maximum size in Service Bus: 1024 MB ("Default is 1024", maxSizeInMegabytes in the ARM schema). */
    static final long DEFAULT_MAX_TOPIC_BYTES = 1024L * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(ServiceBusEmulator.class);

    private final Namespace namespace;
    private final int requestedPort;
    private final Path snapshotFile;
    private final long checkpointJournalAt;
    private AmqpServer server;
    private DurableBroker durable;
    private int restoredMessages;

    private ServiceBusEmulator(Builder builder) {
        EntitySettings settings = new EntitySettings(builder.lockDuration, builder.maxDeliveryCount,
                builder.duplicateDetectionWindow, builder.maxMessageBytes, builder.maxTopicBytes);
        this.namespace = new Namespace(builder.topics, builder.filters, settings, Clock.systemUTC());
        this.requestedPort = builder.port;
        this.snapshotFile = builder.snapshotFile;
        this.checkpointJournalAt = builder.checkpointJournalAt;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts listening on 127.0.0.1 (the builder's port, or an ephemeral one). */
    public synchronized ServiceBusEmulator start() {
        if (server != null) {
            throw new IllegalStateException("The Service Bus emulator is already started");
        }
        openPersistence();
        try {
            server = AmqpServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort),
                    namespace, durable == null ? AmqpServer.Persistence.NONE : durable);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the Service Bus emulator on port " + requestedPort, e);
        }
        return this;
    }

    /** The first start reads the snapshot and its journal; a start after a close keeps what is in memory. */
    private void openPersistence() {
        if (snapshotFile == null) {
            return;
        }
        try {
            if (durable == null) {
                durable = DurableBroker.restore(namespace, snapshotFile, checkpointJournalAt);
                restoredMessages = namespace.messageCount();
            } else {
                durable.reopen(namespace);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the Service Bus emulator snapshot " + snapshotFile, e);
        }
    }

    /**
     * Messages read back when the emulator started, from the snapshot and the journal after it (0 without
     * {@link Builder#persistTo}).
     */
    public synchronized int restoredMessageCount() {
        return restoredMessages;
    }

    /** The port it listens on; only known once started. */
    public synchronized int port() {
        return running().port();
    }

    /**
     * A connection string for the SDK's {@code connectionString(...)}:
     * {@code Endpoint=sb://127.0.0.1:<port>;SharedAccessKeyName=RootManageSharedAccessKey;
     * SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true}. {@code UseDevelopmentEmulator=true} makes the
     * SDK use plain TCP to the endpoint's port; the key is never checked.
     */
    public String connectionString() {
        return "Endpoint=sb://127.0.0.1:" + port() + ";SharedAccessKeyName=RootManageSharedAccessKey;"
                + "SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true";
    }

    /** Messages in the subscription, locked or not (the active message count). */
    public int activeMessageCount(String topic, String subscription) {
        return running().call(() -> subscription(topic, subscription).active().messageCount());
    }

    /** The bytes the topic holds (subscriptions and dead-letter queues), which {@link Builder#maxTopicBytes} limits. */
    public long topicSizeInBytes(String topic) {
        return running().call(() -> topic(topic).sizeInBytes());
    }

    /** The size at which a topic refuses sends ({@link Builder#maxTopicBytes}). */
    public long maxTopicBytes() {
        return namespace.settings().maxTopicBytes();
    }

    /** Messages in the subscription's dead-letter queue. */
    public int deadLetterMessageCount(String topic, String subscription) {
        return running().call(() -> subscription(topic, subscription).deadLetter().messageCount());
    }

    /**
     * Messages sent to the topic since start that duplicate detection dropped: the sender's send succeeded, and
     * nothing else shows that the message went nowhere.
     */
    public long duplicateMessageCount(String topic) {
        return running().call(() -> topic(topic).duplicatesDropped());
    }

    private Topic topic(String topic) {
        return namespace.topic(topic).orElseThrow(() -> new IllegalArgumentException("No topic '" + topic + "'"));
    }

    private Subscription subscription(String topic, String subscription) {
        return namespace.topic(topic).flatMap(t -> t.subscription(subscription)).orElseThrow(
                () -> new IllegalArgumentException("No subscription '" + subscription + "' on topic '" + topic + "'"));
    }

    private synchronized AmqpServer running() {
        if (server == null) {
            throw new IllegalStateException("The Service Bus emulator is not started");
        }
        return server;
    }

    /**
     * Closes every client connection and the listening socket, and stops the event-loop thread; then, with
     * {@link Builder#persistTo}, writes the snapshot (locked messages unlocked). A snapshot that cannot be written is
     * an {@link UncheckedIOException}: the messages it held would be lost, which the caller must hear about.
     */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        server.close();
        boolean stopped = server.stopped();
        server = null;
        if (durable != null) {
            if (!stopped) {
                LOG.warn("The emulator's event loop did not stop in time; writing the snapshot anyway");
            }
            try {
                durable.close(namespace);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not write the Service Bus emulator snapshot " + snapshotFile, e);
            }
        }
    }

    /**
     * For tests of the journal: stops as a killed process would, with no last snapshot; only what the journal wrote
     * remains on disk. The instance cannot start again.
     */
    synchronized void crash() {
        if (server != null) {
            server.close();
            server = null;
        }
        if (durable != null) {
            durable.abandon();
        }
    }

    /** Entities and their properties; the defaults are those of a new Service Bus subscription. */
    public static final class Builder {
        private final Map<String, List<String>> topics = new LinkedHashMap<>();
        private final Map<String, Map<String, SqlFilter>> filters = new LinkedHashMap<>();
        private Duration lockDuration = Duration.ofMinutes(1);
        private int maxDeliveryCount = 10;
        private Duration duplicateDetectionWindow = Duration.ofMinutes(10);
        private int maxMessageBytes = 256 * 1024;
        private long maxTopicBytes = DEFAULT_MAX_TOPIC_BYTES;
        private int port;
        private Path snapshotFile;
        private long checkpointJournalAt = DurableBroker.CHECKPOINT_AT_BYTES;

        private Builder() {
        }

        /** A topic and its subscriptions; each subscription has a dead-letter queue. */
        public Builder topic(String name, String... subscriptions) {
            Objects.requireNonNull(name, "name");
            topics.put(name, List.of(subscriptions));
            return this;
        }

        /**
         * Gives a declared subscription one rule with this SQL filter instead of the default rule (which selects every
         * message), as an ARM template's rule resource named {@code $Default} does. Only the part of the grammar that
         * {@link SqlFilter} names is evaluated; anything else is refused here.
         *
         * @throws IllegalArgumentException when the subscription is not declared or the filter is malformed or uses
         *                                  what the emulator does not evaluate
         */
        public Builder filter(String topic, String subscription, String sqlExpression) {
            if (!topics.getOrDefault(topic, List.of()).contains(subscription)) {
                throw new IllegalArgumentException("No subscription '" + subscription + "' on topic '" + topic
                        + "' declared before its filter");
            }
            filters.computeIfAbsent(topic, t -> new LinkedHashMap<>()).put(subscription, SqlFilter.parse(sqlExpression));
            return this;
        }

        /** How long a peek-lock receive holds a message (default 1 minute). */
        public Builder lockDuration(Duration lockDuration) {
            this.lockDuration = positive(lockDuration, "lockDuration");
            return this;
        }

        /** Deliveries before a message is dead-lettered with MaxDeliveryCountExceeded (default 10). */
        public Builder maxDeliveryCount(int maxDeliveryCount) {
            if (maxDeliveryCount < 1) {
                throw new IllegalArgumentException("maxDeliveryCount must be at least 1");
            }
            this.maxDeliveryCount = maxDeliveryCount;
            return this;
        }

        /** How long a MessageId is remembered for duplicate detection (default 10 minutes; zero turns it off). */
        public Builder duplicateDetectionWindow(Duration window) {
            Objects.requireNonNull(window, "duplicateDetectionWindow");
            if (window.isNegative()) {
                throw new IllegalArgumentException("duplicateDetectionWindow must not be negative");
            }
            this.duplicateDetectionWindow = window;
            return this;
        }

        /** The largest message (or batch) accepted, in bytes (default 256 KiB, the Standard tier's limit). */
        public Builder maxMessageBytes(int maxMessageBytes) {
            if (maxMessageBytes < 1) {
                throw new IllegalArgumentException("maxMessageBytes must be positive");
            }
            this.maxMessageBytes = maxMessageBytes;
            return this;
        }

        /**
         * A topic's maximum size in bytes: Service Bus's {@code maxSizeInMegabytes} × 1 MiB (default 1024 MB, a new
         * topic's; the Standard tier allows 1 to 5 GB). The size counts every message of the topic's subscriptions and
         * their dead-letter queues, a copy per subscription, as the bytes the sender sent.
         */
        public Builder maxTopicBytes(long maxTopicBytes) {
            if (maxTopicBytes < 1) {
                throw new IllegalArgumentException("maxTopicBytes must be positive");
            }
            this.maxTopicBytes = maxTopicBytes;
            return this;
        }

        /** The port on 127.0.0.1 (default 0: an ephemeral port, see {@link ServiceBusEmulator#port()}). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be within 0..65535");
            }
            this.port = port;
            return this;
        }

        /**
         * For the local runtime: keep the messages in {@code file} and a journal beside it across restarts, a kill
         * included. Read at {@link #start()}; the journal is written as the state changes, before any Accepted goes to
         * a sender; the snapshot at start, at {@link #close()} and when the journal grows large ({@link DurableBroker};
         * {@link EmulatorSnapshot} says what is kept).
         */
        public Builder persistTo(Path file) {
            this.snapshotFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /** For tests: fold the journal into a new snapshot once it holds this many bytes (default 64 MiB). */
        Builder checkpointJournalAt(long bytes) {
            this.checkpointJournalAt = bytes;
            return this;
        }

        public ServiceBusEmulator build() {
            return new ServiceBusEmulator(this);
        }

        private static Duration positive(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isZero() || duration.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return duration;
        }
    }
}
