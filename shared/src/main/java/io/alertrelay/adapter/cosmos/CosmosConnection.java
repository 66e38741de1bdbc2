package io.alertrelay.adapter.cosmos;

import com.azure.cosmos.CosmosAsyncClient;
import com.azure.cosmos.CosmosAsyncContainer;
import com.azure.cosmos.CosmosEndToEndOperationLatencyPolicyConfig;
import com.azure.cosmos.CosmosEndToEndOperationLatencyPolicyConfigBuilder;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosItemRequestOptions;
import io.alertrelay.port.PermanentStoreException;
import io.alertrelay.port.TransientStoreException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;

/**
 * The container the store's documents live in, reached lazily: the client is built on the first call, not before
 * (building it reads the account, which is I/O), and every call is bounded by the operation timeout. One connection
 * holds one client for its lifetime; a client handed in belongs to the caller and is never closed here.
 */
final class CosmosConnection implements AutoCloseable {

    private final Supplier<CosmosAsyncClient> clientFactory;
    private final boolean ownsClient;
    private final String databaseName;
    private final String containerName;
    private final Duration operationTimeout;
    private final Duration connectTimeout;
    private final CosmosEndToEndOperationLatencyPolicyConfig endToEnd;

    private final Object lock = new Object();
    private volatile CosmosAsyncClient client;
    private volatile CosmosAsyncContainer container;
    private CompletableFuture<CosmosAsyncContainer> connecting; // guarded by lock
    private boolean closed; // guarded by lock

    CosmosConnection(Supplier<CosmosAsyncClient> clientFactory, boolean ownsClient, String databaseName,
                     String containerName, Duration operationTimeout, Duration connectTimeout) {
        this.clientFactory = clientFactory;
        this.ownsClient = ownsClient;
        this.databaseName = databaseName;
        this.containerName = containerName;
        this.operationTimeout = operationTimeout;
        this.connectTimeout = connectTimeout;
        this.endToEnd = new CosmosEndToEndOperationLatencyPolicyConfigBuilder(operationTimeout).build();
    }

    /**
     * Runs one SDK call on the container within the operation timeout (plus a margin: the SDK's own end-to-end
     * policy should end it first). A {@link CosmosException} is thrown as is, for the caller to read its status;
     * anything else (timeout, network, client construction) becomes the port's failure.
     */
    <T> T call(String what, Function<CosmosAsyncContainer, Mono<T>> operation) {
        CosmosAsyncContainer c = container(what);
        try {
            return operation.apply(c).block(operationTimeout.plusSeconds(2));
        } catch (RuntimeException e) {
            Throwable t = Exceptions.unwrap(e);
            if (t instanceof CosmosException ce) {
                throw ce;
            }
            throw CosmosErrors.of(where(what), t);
        }
    }

    /** Options for a read: bounded end to end. */
    CosmosItemRequestOptions readOptions() {
        return new CosmosItemRequestOptions().setCosmosEndToEndOperationLatencyPolicyConfig(endToEnd);
    }

    /** Options for a write: bounded, and without the body in the answer (the ETag comes in a header). */
    CosmosItemRequestOptions writeOptions() {
        return readOptions().setContentResponseOnWriteEnabled(false);
    }

    /** "{what} in {database}/{container}", for messages. */
    String where(String what) {
        return what + " in " + databaseName + "/" + containerName;
    }

    /** Reads the container's properties within the operation timeout: "ok", or why not, holding no secret. */
    String health() {
        try {
            call("read container", CosmosAsyncContainer::read);
            return "ok";
        } catch (CosmosException e) {
            return e.getStatusCode() == 404
                    ? "missing (container " + databaseName + "/" + containerName + " not found)"
                    : "unreachable (" + e.getClass().getSimpleName() + " " + e.getStatusCode() + ")";
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return "unreachable (" + cause.getClass().getSimpleName() + ")";
        }
    }

    /** Closes the client if this connection built it. */
    @Override
    public void close() {
        CosmosAsyncClient c;
        synchronized (lock) {
            closed = true;
            c = client;
        }
        if (ownsClient && c != null) {
            c.close();
        }
    }

    @Override
    public String toString() {
        return databaseName + "/" + containerName;
    }

    /**
     * The container handle, building the client on first use. Building it reads the account (I/O the SDK bounds only
     * loosely: over 30 s against a peer that never answers), so it runs on a thread of its own and the caller waits at
     * most the connect timeout; a build still under way is awaited by the next call rather than started again, and a
     * failed one is started again by the next call.
     */
    private CosmosAsyncContainer container(String what) {
        CosmosAsyncContainer c = container;
        if (c != null) {
            return c;
        }
        CompletableFuture<CosmosAsyncContainer> build;
        synchronized (lock) {
            if (closed) {
                throw new TransientStoreException(where(what) + ": the Cosmos store is closed", null);
            }
            if (connecting == null || connecting.isCompletedExceptionally()) {
                connecting = new CompletableFuture<>();
                CompletableFuture<CosmosAsyncContainer> f = connecting;
                Thread t = new Thread(() -> connect(f), "cosmos-store-connect");
                t.setDaemon(true);
                t.start();
            }
            build = connecting;
        }
        return await(build, what);
    }

    private CosmosAsyncContainer await(CompletableFuture<CosmosAsyncContainer> build, String what) {
        try {
            return build.get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TransientStoreException(where(what) + ": Cosmos DB did not answer within "
                    + connectTimeout.toMillis() + " ms (still connecting)", e);
        } catch (ExecutionException e) {
            Throwable t = Exceptions.unwrap(e.getCause());
            if (t instanceof IllegalArgumentException) {
                throw new PermanentStoreException(where(what) + ": cannot build the Cosmos DB client (bad endpoint "
                        + "or key?): " + t.getClass().getSimpleName(), t);
            }
            throw new TransientStoreException(where(what) + ": cannot connect to Cosmos DB: "
                    + t.getClass().getSimpleName() + " (endpoint unreachable or credentials refused)", t);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientStoreException(where(what) + ": interrupted while connecting to Cosmos DB", e);
        }
    }

    private void connect(CompletableFuture<CosmosAsyncContainer> result) {
        try {
            CosmosAsyncClient built = clientFactory.get();
            synchronized (lock) {
                if (closed) {
                    if (ownsClient) {
                        built.close(); // closed while we were connecting: nobody will use it
                    }
                    result.completeExceptionally(new IllegalStateException("the Cosmos store is closed"));
                    return;
                }
                client = built;
                container = built.getDatabase(databaseName).getContainer(containerName);
            }
            result.complete(container);
        } catch (RuntimeException | Error e) {
            result.completeExceptionally(e);
        }
    }
}
