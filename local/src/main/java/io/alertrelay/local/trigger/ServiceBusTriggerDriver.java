package io.alertrelay.local.trigger;

import io.alertrelay.functions.AppCredential;
import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusErrorContext;
import com.azure.messaging.servicebus.ServiceBusProcessorClient;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessageContext;
import io.alertrelay.local.host.BindingDefinition;
import io.alertrelay.local.host.FunctionInvoker;
import io.alertrelay.local.host.HostData;
import io.alertrelay.local.host.LocalExecutionContext;
import io.alertrelay.local.host.LoopbackHttpServers;
import io.alertrelay.settings.SettingsException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Drives a function with a {@code serviceBusTrigger} binding the way the Functions host does (host.json
 * {@code autoCompleteMessages: true}): peek-lock receive with the real SDK processor from the topic and subscription
 * its function.json names, hand the worker the body — bytes when the binding says {@code dataType: binary}, else a
 * string — and the message metadata by name, complete when the function returns, abandon when it throws or cannot be
 * bound — the broker then redelivers with DeliveryCount + 1 and dead-letters after maxDeliveryCount. Lock renewal
 * covers long invocations, as {@code maxAutoLockRenewalDuration} does in the host.
 *
 * <p>{@link #close()} drains: invocations under way finish and settle their message before the receiver closes.
 * (The SDK's own {@code stop()} and {@code close()} dispose the receiver at once in this version, so a handler still
 * running could no longer complete its message.) A message handed over after draining began is not processed and
 * not settled: its lock lapses and the broker gives it out again — with the emulator's snapshot, at the next start.
 * Unless it is on its last allowed delivery: a lapse then makes the broker dead-letter it with no invocation to mark
 * its document, a delivery the host (which stops receiving when it stops) would not spend; so it is processed.
 */
public final class ServiceBusTriggerDriver implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ServiceBusTriggerDriver.class.getName());
    private static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(60);

    private final ServiceBusProcessorClient processor;
    private final FunctionInvoker function;
    private final BindingDefinition trigger;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Duration drainTimeout;
    private final int maxDeliveryCount;
    private volatile boolean draining;

    public ServiceBusTriggerDriver(ServiceBusClientBuilder client, FunctionInvoker function,
                                   int maxConcurrentCalls, Duration maxAutoLockRenewal) {
        this(client, function, maxConcurrentCalls, maxAutoLockRenewal, DEFAULT_DRAIN_TIMEOUT);
    }

    /** As above, waiting at most {@code drainTimeout} at close for invocations under way. */
    public ServiceBusTriggerDriver(ServiceBusClientBuilder client, FunctionInvoker function,
                                   int maxConcurrentCalls, Duration maxAutoLockRenewal, Duration drainTimeout) {
        this(client, function, maxConcurrentCalls, maxAutoLockRenewal, drainTimeout, 0);
    }

    /**
     * As above, for a subscription whose MaxDeliveryCount is {@code maxDeliveryCount} (0: unknown): a message on its
     * last allowed delivery that arrives during a drain is processed rather than left to lapse.
     */
    public ServiceBusTriggerDriver(ServiceBusClientBuilder client, FunctionInvoker function,
                                   int maxConcurrentCalls, Duration maxAutoLockRenewal, Duration drainTimeout,
                                   int maxDeliveryCount) {
        this.drainTimeout = drainTimeout;
        this.maxDeliveryCount = maxDeliveryCount;
        this.function = function;
        this.trigger = function.definition().trigger();
        if (!trigger.type().equals("serviceBusTrigger")) {
            throw new IllegalArgumentException(function.name() + " is not triggered by Service Bus");
        }
        this.processor = client.processor()
                .topicName(trigger.text("topicName").orElseThrow())
                .subscriptionName(trigger.text("subscriptionName").orElseThrow())
                .disableAutoComplete()
                .prefetchCount(0)
                .maxConcurrentCalls(maxConcurrentCalls)
                .maxAutoLockRenewDuration(maxAutoLockRenewal)
                .processMessage(this::receive)
                .processError(ServiceBusTriggerDriver::onError)
                .buildProcessorClient();
    }

    /**
     * The client the host builds for the trigger's {@code connection}: the app setting of that name holds a connection
     * string, or {@code <name>__fullyQualifiedNamespace} names the namespace reached with the app's identity
     * ("Identity-based connections",
     * https://learn.microsoft.com/azure/azure-functions/functions-bindings-service-bus-trigger#identity-based-connections).
     */
    public static ServiceBusClientBuilder clientFor(BindingDefinition trigger, Map<String, String> appSettings) {
        String connection = trigger.text("connection").orElse("AzureWebJobsServiceBus");
        String connectionString = appSettings.get(connection);
        if (connectionString != null && !connectionString.isBlank()) {
            return new ServiceBusClientBuilder().connectionString(connectionString);
        }
        String namespace = appSettings.get(connection + "__fullyQualifiedNamespace");
        if (namespace != null && !namespace.isBlank()) {
            return new ServiceBusClientBuilder().credential(namespace, AppCredential.get());
        }
        throw new SettingsException("setting " + connection + " (or " + connection
                + "__fullyQualifiedNamespace) is required by the trigger of the function but not set");
    }

    public void start() {
        processor.start();
    }

    /** Invocations running now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Whether {@link #close()} has begun: no new message is processed unless it is on its last delivery. */
    boolean draining() {
        return draining;
    }

    private void receive(ServiceBusReceivedMessageContext context) {
        // Counted before the check, so a drain that saw no invocation under way cannot miss this one.
        inFlight.incrementAndGet();
        if (draining && !onLastAllowedDelivery(context.getMessage())) {
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
            function.invoke(Map.of(trigger.name(), HostData.payload(m.getBody().toBytes(), trigger.isBinary())),
                    MessageMetadata.of(m), new LocalExecutionContext(function.name()));
            succeeded = true;
        } catch (FunctionInvoker.FunctionFailedException e) {
            if (e.bindingFailed()) {
                // As in Azure: the message is abandoned at every delivery until the broker dead-letters it.
                LOG.severe(e.getMessage() + "; the message is abandoned");
            }
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

    /** The SDK counts earlier deliveries (0 on the first); the broker dead-letters after MaxDeliveryCount. */
    private boolean onLastAllowedDelivery(ServiceBusReceivedMessage m) {
        return maxDeliveryCount > 0 && m.getDeliveryCount() + 1 >= maxDeliveryCount;
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
        if (!LoopbackHttpServers.awaitNone(inFlight, drainTimeout)) {
            LOG.warning(inFlight.get() + " " + function.name() + " invocations still running after " + drainTimeout
                    + "; their messages go back to the broker");
        }
        closed.countDown();
        processor.close();
    }
}
