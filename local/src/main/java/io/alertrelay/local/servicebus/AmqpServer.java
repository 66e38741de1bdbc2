package io.alertrelay.local.servicebus;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulator's single event-loop thread: accepts sockets, drives every connection's proton-j engine, expires
 * locks and dispatches messages. All broker state is touched on this thread only, so none of it needs locking;
 * other threads get in through {@link #call}.
 */
final class AmqpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AmqpServer.class);
    /** Wake up at least this often even with nothing scheduled; cheap, and a guard against a missed wakeup. */
    private static final long MAX_SLEEP_MILLIS = 1000;

    private final Namespace namespace;
    private final Persistence persistence;
    private final Selector selector;
    private final ServerSocketChannel serverChannel;
    private final List<AmqpConnection> connections = new ArrayList<>();
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final long startNanos = System.nanoTime();
    private final Thread thread;
    private volatile boolean running = true;

    /** What the loop does so that the broker's state outlives the process: nothing, or {@link DurableBroker}. */
    interface Persistence {
        Persistence NONE = new Persistence() {
        };

        /** Runs before any frame goes to a socket: what a frame acknowledges must be written down before it. */
        default void beforeOutput() {
        }

        /** Runs after each pass of the loop. */
        default void afterPass(Namespace namespace) {
        }
    }

    private AmqpServer(InetSocketAddress address, Namespace namespace, Persistence persistence) throws IOException {
        this.namespace = namespace;
        this.persistence = persistence;
        this.selector = Selector.open();
        this.serverChannel = ServerSocketChannel.open();
        try {
            serverChannel.bind(address);
            serverChannel.configureBlocking(false);
            serverChannel.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            serverChannel.close();
            selector.close();
            throw e;
        }
        this.thread = new Thread(this::loop, "servicebus-emulator-" + port());
        thread.setDaemon(true);
    }

    static AmqpServer start(InetSocketAddress address, Namespace namespace, Persistence persistence)
            throws IOException {
        AmqpServer server = new AmqpServer(address, namespace, persistence);
        server.thread.start();
        return server;
    }

    int port() {
        return serverChannel.socket().getLocalPort();
    }

    /** Runs {@code task} on the event loop and waits for its result. */
    <T> T call(Callable<T> task) {
        if (Thread.currentThread() == thread) {
            try {
                return task.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        if (!thread.isAlive()) {
            throw new IllegalStateException("The Service Bus emulator's event loop is not running");
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        tasks.add(() -> {
            try {
                result.complete(task.call());
            } catch (Exception | Error e) {
                result.completeExceptionally(e);
            }
        });
        selector.wakeup();
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the emulator", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("The emulator's event loop did not run the task", e);
        }
    }

    /** True once the event loop has ended: then no thread touches the broker state any more. */
    boolean stopped() {
        return !thread.isAlive();
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        try {
            while (running) {
                select();
                runTasks();
                try {
                    namespace.expireLocksAndDispatch();
                } catch (RuntimeException e) {
                    LOG.error("Expiring locks or dispatching messages failed; carrying on", e);
                }
                for (Iterator<AmqpConnection> it = connections.iterator(); it.hasNext(); ) {
                    AmqpConnection connection = it.next();
                    if (!pump(connection)) {
                        connection.release();
                        it.remove();
                    }
                }
                persistence.afterPass(namespace);
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("Service Bus emulator event loop failed", e);
        } finally {
            shutDown();
        }
    }

    private void select() throws IOException {
        long sleep = millisUntilNextDeadline();
        if (sleep <= 0) {
            selector.selectNow();
        } else {
            selector.select(sleep);
        }
        for (SelectionKey key : selector.selectedKeys()) {
            if (!key.isValid()) {
                continue;
            }
            if (key.isAcceptable()) {
                try {
                    accept();
                } catch (IOException e) {
                    LOG.warn("Accepting a connection failed", e);
                }
            } else if (key.isReadable() && key.attachment() instanceof AmqpConnection connection) {
                try {
                    connection.read();
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Closing a connection after an error while reading", e);
                    connection.release();
                    connections.remove(connection);
                }
            }
        }
        selector.selectedKeys().clear();
    }

    private void accept() throws IOException {
        SocketChannel channel;
        while ((channel = serverChannel.accept()) != null) {
            channel.configureBlocking(false);
            channel.socket().setTcpNoDelay(true);
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            AmqpConnection connection = new AmqpConnection(channel, key, namespace);
            key.attach(connection);
            connections.add(connection);
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
    }

    /**
     * Handles pending events and writes pending output; false once the connection is over. Between the two, the
     * persistence writes down what the output acknowledges; outside the catch, so a journal that cannot be written
     * ends the loop rather than let an Accepted go out for a message it did not record.
     */
    private boolean pump(AmqpConnection connection) {
        try {
            connection.afterDispatch();
            connection.handleEvents();
            connection.tick(nowMillis());
        } catch (RuntimeException e) {
            LOG.warn("Closing a connection after an unexpected error", e);
            return false;
        }
        persistence.beforeOutput();
        try {
            connection.flush();
            return !connection.isFinished();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Closing a connection after an unexpected error", e);
            return false;
        }
    }

    private long millisUntilNextDeadline() {
        long sleep = MAX_SLEEP_MILLIS;
        long now = nowMillis();
        for (AmqpConnection connection : connections) {
            long deadline = connection.heartbeatDeadline();
            if (deadline != 0) {
                sleep = Math.min(sleep, deadline - now);
            }
        }
        var nextExpiry = namespace.nextLockExpiry();
        if (nextExpiry.isPresent()) {
            sleep = Math.min(sleep, Duration.between(namespace.now(), nextExpiry.get()).toMillis() + 1);
        }
        return sleep;
    }

    /** proton-j wants a monotonic millisecond clock for heartbeats; never 0, which it reads as "no time". */
    private long nowMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos) + 1;
    }

    private void shutDown() {
        for (AmqpConnection connection : connections) {
            connection.closeForcibly();
            connection.release();
        }
        connections.clear();
        try {
            serverChannel.close();
            selector.close();
        } catch (IOException e) {
            LOG.debug("Closing the server socket failed", e);
        }
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run(); // lets callers of call() finish instead of waiting for their timeout
        }
    }
}
