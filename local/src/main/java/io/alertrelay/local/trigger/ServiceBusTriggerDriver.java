package io.alertrelay.local.trigger;

import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusErrorContext;
import com.azure.messaging.servicebus.ServiceBusProcessorClient;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessageContext;
import io.alertrelay.functions.AlertDequeuer;
import io.alertrelay.local.host.LocalExecutionContext;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Drives {@link AlertDequeuer} the way the Functions host's Service Bus trigger does (host.json
 * {@code autoCompleteMessages: true}): peek-lock receive with the real SDK processor, bind body, MessageId and
 * DeliveryCount, complete when the function returns, abandon when it throws — the broker then redelivers with
 * DeliveryCount + 1 and dead-letters after maxDeliveryCount. Lock renewal covers long invocations, as
 * {@code maxAutoLockRenewalDuration} does in the host.
 *
 * <p>{@link #close()} drains: invocations under way finish and settle their message before the receiver closes.
 * (The SDK's own {@code stop()} and {@code close()} dispose the receiver at once in this version, so a handler still
 * running could no longer complete its message.) A message handed over after draining began is not processed and
 * not settled: its lock lapses and the broker gives it out again — with the emulator's snapshot, at the next start.
 */
public final class ServiceBusTriggerDriver implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ServiceBusTriggerDriver.class.getName());
    private static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(60);

    private final ServiceBusProcessorClient processor;
    private final AlertDequeuer function = new AlertDequeuer();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Duration drainTimeout;
    private volatile boolean draining;

    public ServiceBusTriggerDriver(ServiceBusClientBuilder client, String topic, String subscription,
                                   int maxConcurrentCalls, Duration maxAutoLockRenewal) {
        this(client, topic, subscription, maxConcurrentCalls, maxAutoLockRenewal, DEFAULT_DRAIN_TIMEOUT);
    }

    /** As above, waiting at most {@code drainTimeout} at close for invocations under way. */
    public ServiceBusTriggerDriver(ServiceBusClientBuilder client, String topic, String subscription,
                                   int maxConcurrentCalls, Duration maxAutoLockRenewal, Duration drainTimeout) {
        this.drainTimeout = drainTimeout;
        this.processor = client.processor()
                .topicName(topic)
                .subscriptionName(subscription)
                .disableAutoComplete()
                .prefetchCount(0)
                .maxConcurrentCalls(maxConcurrentCalls)
                .maxAutoLockRenewDuration(maxAutoLockRenewal)
                .processMessage(this::receive)
                .processError(ServiceBusTriggerDriver::onError)
                .buildProcessorClient();
    }

    public void start() {
        processor.start();
    }

    /** Invocations running now. */
    public int inFlight() {
        return inFlight.get();
    }

    private void receive(ServiceBusReceivedMessageContext context) {
        // Counted before the check, so a drain that saw no invocation under way cannot miss this one.
        inFlight.incrementAndGet();
        if (draining) {
            inFlight.decrementAndGet();
            holdUntilClosed();
            return;
        }
        try {
            invoke(context);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void invoke(ServiceBusReceivedMessageContext context) {
        ServiceBusReceivedMessage m = context.getMessage();
        boolean succeeded;
        try {
            // The AMQP header counts earlier failed deliveries (0 first); the host's DeliveryCount binding, like .NET's
            // ServiceBusReceivedMessage, counts this one too (1 first) — and MAX_DELIVERY_COUNT is compared to it.
            function.run(m.getBody().toBytes(), m.getMessageId(), (int) m.getDeliveryCount() + 1,
                    new LocalExecutionContext("AlertDequeuer"));
            succeeded = true;
        } catch (RuntimeException e) {
            succeeded = false;
        }
        try {
            if (succeeded) {
                context.complete();
            } else {
                context.abandon();
            }
        } catch (RuntimeException e) {
            // The lock was lost (expired, or the receiver closed): the broker redelivers; the store makes it harmless.
            LOG.log(Level.WARNING, "could not settle message " + m.getMessageId() + ": " + e.getClass().getSimpleName());
        }
    }

    /** Keeps the processor's slot busy so it asks for no more messages while the drain waits. */
    private void holdUntilClosed() {
        try {
            closed.await(drainTimeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void onError(ServiceBusErrorContext error) {
        LOG.log(Level.FINE, "Service Bus processor error (" + error.getErrorSource() + "): "
                + error.getException().getClass().getSimpleName());
    }

    /**
     * Takes no new message, waits (up to the drain timeout) until every invocation under way has returned and settled
     * its message, then closes the processor. Invocations still running after the timeout are left to the broker:
     * their locks lapse and their messages are given out again.
     */
    @Override
    public void close() {
        draining = true;
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (inFlight.get() > 0) {
            LOG.warning(inFlight.get() + " AlertDequeuer invocations still running after " + drainTimeout
                    + "; their messages go back to the broker");
        }
        closed.countDown();
        processor.close();
    }
}
