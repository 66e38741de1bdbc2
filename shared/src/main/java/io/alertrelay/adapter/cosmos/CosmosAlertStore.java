package io.alertrelay.adapter.cosmos;

import com.azure.core.credential.TokenCredential;
import com.azure.cosmos.CosmosAsyncClient;
import com.azure.cosmos.CosmosAsyncContainer;
import com.azure.cosmos.CosmosClientBuilder;
import com.azure.cosmos.CosmosEndToEndOperationLatencyPolicyConfig;
import com.azure.cosmos.CosmosEndToEndOperationLatencyPolicyConfigBuilder;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.GatewayConnectionConfig;
import com.azure.cosmos.ThrottlingRetryOptions;
import com.azure.cosmos.models.CosmosItemRequestOptions;
import com.azure.cosmos.models.CosmosItemResponse;
import com.azure.cosmos.models.PartitionKey;
import io.alertrelay.adapter.identity.AppCredential;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.port.AlertStore;
import io.alertrelay.port.StoreUnavailableException;
import io.alertrelay.port.StoredAlert;
import io.alertrelay.settings.Secret;
import io.alertrelay.settings.Settings;
import io.alertrelay.settings.SettingsException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;

/**
 * The {@link AlertStore} on Azure Cosmos DB (DESIGN §7), with the official SDK (azure-cosmos). Every document lives
 * in the tenant's partition ({@code /tenant}); their shapes are in {@link AlertDocuments}.
 *
 * <ul>
 *   <li>The database and container must exist (the infrastructure creates them); if they do not, calls fail with
 *   a {@link CosmosStoreException} saying so.</li>
 *   <li>The client is built on first use, not by {@link Builder#build()}: building it reads the account, which is
 *   I/O. One instance holds one client for its lifetime; build the store once per JVM, or hand it an existing
 *   client with {@link Builder#client(CosmosAsyncClient)} (which the store then never closes).</li>
 *   <li>Each call is bounded by {@link Builder#operationTimeout(Duration)} (end-to-end, retries included); the
 *   first also waits at most {@link Builder#connectTimeout(Duration)} for the client to be built.</li>
 *   <li>Failures that may pass (408, 410, 429, 449, 5xx, network, timeout) are
 *   {@link StoreUnavailableException}; others are {@link CosmosStoreException}. No message holds the key.</li>
 *   <li>With a TTL ({@code STORE_TTL_DAYS}) every document carries {@code ttl} in seconds. Cosmos applies a
 *   per-item ttl only when the container has TTL enabled ({@code defaultTtl = -1}: on, no default expiry);
 *   otherwise the field is stored and ignored. (The test emulator never expires anything.)</li>
 * </ul>
 */
public final class CosmosAlertStore implements AlertStore, AutoCloseable {

    /** How often {@link #update} re-reads and re-applies its change after losing a race before giving up. */
    static final int MAX_UPDATE_ATTEMPTS = 10;

    private final Supplier<CosmosAsyncClient> clientFactory;
    private final boolean ownsClient;
    private final String databaseName;
    private final String containerName;
    private final Integer ttlSeconds;
    private final Duration operationTimeout;
    private final Duration connectTimeout;
    private final CosmosEndToEndOperationLatencyPolicyConfig endToEnd;

    private final Object lock = new Object();
    private volatile CosmosAsyncClient client;
    private volatile CosmosAsyncContainer container;
    private CompletableFuture<CosmosAsyncContainer> connecting; // guarded by lock
    private boolean closed; // guarded by lock

    private CosmosAlertStore(Builder b, Supplier<CosmosAsyncClient> clientFactory, boolean ownsClient) {
        this.clientFactory = clientFactory;
        this.ownsClient = ownsClient;
        this.databaseName = b.database;
        this.containerName = b.container;
        this.ttlSeconds = b.ttlDays == null ? null : Math.multiplyExact(b.ttlDays, 86_400);
        this.operationTimeout = b.operationTimeout;
        this.connectTimeout = b.connectTimeout;
        this.endToEnd = new CosmosEndToEndOperationLatencyPolicyConfigBuilder(b.operationTimeout).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The store described by the app settings (COSMOS_ENDPOINT, COSMOS_KEY or managed identity, …). */
    public static CosmosAlertStore fromSettings(Settings settings) {
        return builder().settings(settings).build();
    }

    @Override
    public StoredAlert createIfAbsent(StoredAlert doc) {
        Objects.requireNonNull(doc, "doc");
        String what = "create alert " + doc.id();
        for (int attempt = 1; ; attempt++) {
            try {
                CosmosItemResponse<ObjectNode> created = call(what, container().createItem(
                        AlertDocuments.alertDocument(doc, ttlSeconds), new PartitionKey(doc.tenant()), writeOptions()));
                return doc.withEtag(created.getETag());
            } catch (CosmosException e) {
                if (e.getStatusCode() != 409) {
                    throw failure(what, e);
                }
            }
            // 409 Conflict: it exists. Return what is stored. (Gone again already — expired or deleted — is rare:
            // try the create again, a few times.)
            Optional<StoredAlert> existing = find(doc.tenant(), doc.id());
            if (existing.isPresent()) {
                return existing.get();
            }
            if (attempt >= 3) {
                throw new StoreUnavailableException(what + ": it exists and vanishes again, repeatedly", null);
            }
        }
    }

    @Override
    public Optional<StoredAlert> find(String tenant, String id) {
        return read(tenant, id, "read alert " + id)
                .filter(r -> AlertDocuments.isAlert(r.getItem()))
                .map(r -> AlertDocuments.storedAlert(r.getItem(), r.getETag()));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The change may run more than once (once per lost race, at most {@value #MAX_UPDATE_ATTEMPTS} times) and must
     * keep id and tenant. The returned document carries its new ETag. A document that does not exist is an
     * {@link IllegalStateException}; losing every race is a {@link StoreUnavailableException}.
     */
    @Override
    public StoredAlert update(String tenant, String id, UnaryOperator<StoredAlert> change) {
        String what = "update alert " + id;
        for (int attempt = 1; attempt <= MAX_UPDATE_ATTEMPTS; attempt++) {
            StoredAlert current = find(tenant, id)
                    .orElseThrow(() -> new IllegalStateException("no alert document " + id + " in tenant " + tenant));
            StoredAlert next = change.apply(current);
            if (next == current) {
                return current;
            }
            if (!next.id().equals(id) || !next.tenant().equals(tenant)) {
                throw new IllegalArgumentException("an update must keep the document's id and tenant (" + id + ")");
            }
            CosmosItemRequestOptions options = writeOptions().setIfMatchETag(current.etag());
            try {
                CosmosItemResponse<ObjectNode> replaced = call(what, container().replaceItem(
                        AlertDocuments.alertDocument(next, ttlSeconds), id, new PartitionKey(tenant), options));
                return next.withEtag(replaced.getETag());
            } catch (CosmosException e) {
                if (e.getStatusCode() == 404) {
                    throw new IllegalStateException("alert document " + id + " in tenant " + tenant
                            + " vanished while it was being updated", e);
                }
                if (e.getStatusCode() != 412) {
                    throw failure(what, e);
                }
                // 412 Precondition Failed: someone wrote since we read. Read again and re-apply the change.
            }
        }
        throw new StoreUnavailableException(what + ": it changed under us " + MAX_UPDATE_ATTEMPTS
                + " times in a row", null);
    }

    @Override
    public void markInstanceResolved(String tenant, String alertKey, String resolvedEventId, Instant resolvedAt) {
        upsert("mark instance resolved", tenant,
                AlertDocuments.instanceDocument(tenant, alertKey, resolvedEventId, resolvedAt, ttlSeconds));
    }

    @Override
    public Optional<Instant> instanceResolvedAt(String tenant, String alertKey) {
        return read(tenant, AlertDocuments.instanceId(alertKey), "read instance state")
                .map(r -> AlertDocuments.resolvedAt(r.getItem()));
    }

    /** {@inheritDoc} Upserts: storing the same event's payload again replaces it with the same bytes. */
    @Override
    public void putPayload(String tenant, String eventId, byte[] payload) {
        upsert("store payload of " + eventId, tenant,
                AlertDocuments.payloadDocument(tenant, eventId, payload, ttlSeconds));
    }

    @Override
    public Optional<byte[]> getPayload(String tenant, String eventId) {
        return read(tenant, AlertDocuments.payloadId(eventId), "read payload of " + eventId)
                .map(r -> AlertDocuments.payload(r.getItem()));
    }

    /** Reads the container's properties within the operation timeout: "ok", or why not, holding no secret. */
    @Override
    public String health() {
        try {
            call("read container", container().read());
            return "ok";
        } catch (CosmosException e) {
            return e.getStatusCode() == 404
                    ? "missing (container " + databaseName + "/" + containerName + " not found)"
                    : "unreachable (" + e.getClass().getSimpleName() + " " + e.getStatusCode() + ")";
        } catch (RuntimeException e) {
            Throwable cause = e instanceof StoreUnavailableException && e.getCause() != null ? e.getCause() : e;
            return "unreachable (" + cause.getClass().getSimpleName() + ")";
        }
    }

    /** Closes the client if this store built it; a client passed in belongs to the caller. */
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
        return "CosmosAlertStore{" + databaseName + "/" + containerName + ", ttlSeconds=" + ttlSeconds + "}";
    }

    private Optional<CosmosItemResponse<ObjectNode>> read(String tenant, String id, String what) {
        CosmosItemRequestOptions options = new CosmosItemRequestOptions()
                .setCosmosEndToEndOperationLatencyPolicyConfig(endToEnd);
        try {
            return Optional.of(call(what, container().readItem(id, new PartitionKey(tenant), options, ObjectNode.class)));
        } catch (CosmosException e) {
            if (e.getStatusCode() == 404 && e.getSubStatusCode() == 0) {
                return Optional.empty();
            }
            throw failure(what, e);
        }
    }

    private void upsert(String what, String tenant, ObjectNode doc) {
        try {
            call(what, container().upsertItem(doc, new PartitionKey(tenant), writeOptions()));
        } catch (CosmosException e) {
            throw failure(what, e);
        }
    }

    private CosmosItemRequestOptions writeOptions() {
        // The ETag comes back in a header; the body (up to 2 MB for a payload) need not.
        return new CosmosItemRequestOptions()
                .setContentResponseOnWriteEnabled(false)
                .setCosmosEndToEndOperationLatencyPolicyConfig(endToEnd);
    }

    /**
     * Runs one SDK call within the operation timeout (plus a margin: the SDK's own end-to-end policy should end it
     * first). A {@link CosmosException} is thrown as is, for the caller to read its status; anything else (timeout,
     * network, client construction) becomes a {@link StoreUnavailableException}.
     */
    private <T> T call(String what, Mono<T> mono) {
        try {
            return mono.block(operationTimeout.plusSeconds(2));
        } catch (RuntimeException e) {
            Throwable t = Exceptions.unwrap(e);
            if (t instanceof CosmosException ce) {
                throw ce;
            }
            throw failure(what, t);
        }
    }

    private RuntimeException failure(String what, Throwable e) {
        String where = what + " in " + databaseName + "/" + containerName;
        if (e instanceof CosmosException ce) {
            int status = ce.getStatusCode();
            String code = status + (ce.getSubStatusCode() != 0 ? "/" + ce.getSubStatusCode() : "");
            if (isTransient(status)) {
                return new StoreUnavailableException(where + ": Cosmos DB answered " + code + " ("
                        + ce.getClass().getSimpleName() + ")", ce);
            }
            if (status == 404) {
                return new CosmosStoreException(where + ": Cosmos DB answered 404: the database or container does "
                        + "not exist (create it with partition key /tenant; the infrastructure template does)", ce);
            }
            return new CosmosStoreException(where + ": Cosmos DB refused it with " + code + " ("
                    + ce.getClass().getSimpleName() + ")", ce);
        }
        if (e instanceof CosmosStoreException || e instanceof StoreUnavailableException) {
            return (RuntimeException) e;
        }
        return new StoreUnavailableException(where + ": " + e.getClass().getSimpleName(), e);
    }

    static boolean isTransient(int status) {
        return status == 0 || status == 408 || status == 410 || status == 429 || status == 449 || status >= 500;
    }

    /**
     * The container handle, building the client on first use. Building it reads the account (I/O the SDK bounds
     * only loosely: over 30 s against a peer that never answers), so it runs on a thread of its own and the caller
     * waits at most the connect timeout; a build still under way is awaited by the next call rather than started
     * again, and a failed one is started again by the next call.
     */
    private CosmosAsyncContainer container() {
        CosmosAsyncContainer c = container;
        if (c != null) {
            return c;
        }
        CompletableFuture<CosmosAsyncContainer> build;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the Cosmos store is closed");
            }
            if (connecting == null || connecting.isCompletedExceptionally()) {
                connecting = new CompletableFuture<>();
                CompletableFuture<CosmosAsyncContainer> f = connecting;
                Thread t = new Thread(() -> connect(f), "cosmos-alert-store-connect");
                t.setDaemon(true);
                t.start();
            }
            build = connecting;
        }
        try {
            return build.get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new StoreUnavailableException("connect to Cosmos DB for " + databaseName + "/" + containerName
                    + ": no answer within " + connectTimeout.toMillis() + " ms (still trying)", e);
        } catch (ExecutionException e) {
            Throwable t = Exceptions.unwrap(e.getCause());
            if (t instanceof IllegalArgumentException) {
                throw new CosmosStoreException("cannot build the Cosmos DB client for " + databaseName + "/"
                        + containerName + " (bad endpoint or key?): " + t.getClass().getSimpleName(), t);
            }
            throw new StoreUnavailableException("connect to Cosmos DB for " + databaseName + "/" + containerName
                    + ": " + t.getClass().getSimpleName() + " (endpoint unreachable or credentials refused)", t);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while connecting to Cosmos DB", e);
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

    /**
     * Where the store is and how it talks to it. Either an endpoint with a key (absent: managed identity through
     * {@code DefaultAzureCredential}) or an existing client; database and container names; gateway (default) or
     * direct mode; an optional TTL in days; the bound on one call (default 5 s).
     */
    public static final class Builder {
        private URI endpoint;
        private Secret key;
        private TokenCredential credential;
        private CosmosAsyncClient client;
        private String database = "alertrelay";
        private String container = "alerts";
        private boolean directMode;
        private boolean endpointDiscovery = true;
        private Integer ttlDays;
        private Duration operationTimeout = Duration.ofSeconds(5);
        private Duration connectTimeout = Duration.ofSeconds(10);

        private Builder() {
        }

        /** COSMOS_ENDPOINT, COSMOS_KEY, COSMOS_DATABASE, COSMOS_CONTAINER, COSMOS_CONNECTION_MODE, STORE_TTL_DAYS. */
        public Builder settings(Settings s) {
            endpoint = s.cosmosEndpoint().orElse(null);
            key = s.cosmosKey().orElse(null);
            database = s.cosmosDatabase();
            container = s.cosmosContainer();
            directMode = s.cosmosDirectMode();
            ttlDays = s.storeTtlDays().orElse(null);
            return this;
        }

        public Builder endpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** The account key; without one (and without {@link #credential}) the store uses DefaultAzureCredential. */
        public Builder key(Secret key) {
            this.key = key;
            return this;
        }

        /** A credential for Microsoft Entra ID auth, instead of DefaultAzureCredential (ignored with a key). */
        public Builder credential(TokenCredential credential) {
            this.credential = credential;
            return this;
        }

        /** Uses this client (one per JVM, shared) instead of building one; the store never closes it. */
        public Builder client(CosmosAsyncClient client) {
            this.client = client;
            return this;
        }

        public Builder database(String database) {
            this.database = database;
            return this;
        }

        public Builder container(String container) {
            this.container = container;
            return this;
        }

        /** Direct (TCP) mode instead of gateway (HTTPS, the default). */
        public Builder directMode(boolean directMode) {
            this.directMode = directMode;
            return this;
        }

        /**
         * Whether the client discovers the account's regions (default true, as Azure expects). Off, it sends every
         * request to the endpoint as given: what a single-node emulator needs.
         */
        public Builder endpointDiscovery(boolean endpointDiscovery) {
            this.endpointDiscovery = endpointDiscovery;
            return this;
        }

        /** Documents expire this many days after their last write (null: never). See the class comment. */
        public Builder ttlDays(Integer ttlDays) {
            if (ttlDays != null && ttlDays <= 0) {
                throw new IllegalArgumentException("ttlDays must be positive");
            }
            this.ttlDays = ttlDays;
            return this;
        }

        /** The bound on one store call, the SDK's retries included (default 5 s). */
        public Builder operationTimeout(Duration operationTimeout) {
            if (operationTimeout.isNegative() || operationTimeout.isZero()) {
                throw new IllegalArgumentException("operationTimeout must be positive");
            }
            this.operationTimeout = operationTimeout;
            return this;
        }

        /**
         * How long the first call waits for the client to be built (it reads the account, and with managed identity
         * fetches a token first); default 10 s. A build that takes longer goes on, and a later call uses it.
         */
        public Builder connectTimeout(Duration connectTimeout) {
            if (connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive");
            }
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** Builds the store; connects nothing (the client is built on the first call). */
        public CosmosAlertStore build() {
            Objects.requireNonNull(database, "database");
            Objects.requireNonNull(container, "container");
            if (client != null) {
                CosmosAsyncClient given = client;
                return new CosmosAlertStore(this, () -> given, false);
            }
            if (endpoint == null) {
                throw new SettingsException("setting " + Settings.COSMOS_ENDPOINT
                        + " is required for the Cosmos DB store but not set");
            }
            CosmosClientBuilder clientBuilder = clientBuilder();
            return new CosmosAlertStore(this, clientBuilder::buildAsyncClient, true);
        }

        private CosmosClientBuilder clientBuilder() {
            CosmosClientBuilder b = new CosmosClientBuilder()
                    .endpoint(endpoint.toString())
                    .endpointDiscoveryEnabled(endpointDiscovery)
                    .contentResponseOnWriteEnabled(true)
                    .userAgentSuffix("alert-relay")
                    // Throttling retries stay inside the operation timeout; the dequeuer retries with backoff.
                    .throttlingRetryOptions(new ThrottlingRetryOptions()
                            .setMaxRetryAttemptsOnThrottledRequests(3)
                            .setMaxRetryWaitTime(operationTimeout))
                    .endToEndOperationLatencyPolicyConfig(
                            new CosmosEndToEndOperationLatencyPolicyConfigBuilder(operationTimeout).build());
            if (directMode) {
                b.directMode();
            } else {
                b.gatewayMode(GatewayConnectionConfig.getDefaultConfig());
            }
            if (key != null) {
                b.key(key.reveal());
            } else {
                b.credential(credential != null ? credential : AppCredential.get());
            }
            return b;
        }
    }
}
