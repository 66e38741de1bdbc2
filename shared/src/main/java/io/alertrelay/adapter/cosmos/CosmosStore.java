package io.alertrelay.adapter.cosmos;

import com.azure.core.credential.TokenCredential;
import com.azure.cosmos.CosmosAsyncClient;
import com.azure.cosmos.CosmosClientBuilder;
import com.azure.cosmos.CosmosEndToEndOperationLatencyPolicyConfigBuilder;
import com.azure.cosmos.GatewayConnectionConfig;
import com.azure.cosmos.ThrottlingRetryOptions;
import io.alertrelay.port.AlertInstances;
import io.alertrelay.port.EventDocuments;
import io.alertrelay.port.EventSearch;
import io.alertrelay.port.TenantRegistry;
import io.alertrelay.port.PayloadStore;
import io.alertrelay.port.Store;
import io.alertrelay.settings.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The store on Azure Cosmos DB (DESIGN §7), with the official SDK (azure-cosmos): the three capabilities over one
 * lazily built client ({@link CosmosConnection}), every document in the tenant's partition ({@code /tenant}), their
 * shapes in {@link AlertDocuments}, failures mapped by {@link CosmosErrors}.
 *
 * <ul>
 *   <li>The database and container must exist (the infrastructure creates them); if they do not, calls fail with a
 *   permanent store failure saying so.</li>
 *   <li>Each call is bounded by {@link Builder#operationTimeout(Duration)} (end-to-end, retries included); the first
 *   also waits at most {@link Builder#connectTimeout(Duration)} for the client to be built.</li>
 *   <li>With a TTL ({@code STORE_TTL_DAYS}) every document carries {@code ttl} in seconds. Cosmos applies a per-item
 *   ttl only when the container has TTL enabled ({@code defaultTtl = -1}: on, no default expiry); otherwise the field
 *   is stored and ignored. (The test emulator never expires anything.)</li>
 * </ul>
 */
public final class CosmosStore implements Store {

    private final CosmosConnection connection;
    private final EventDocuments documents;
    private final AlertInstances instances;
    private final PayloadStore payloads;
    private final EventSearch search;
    private final TenantRegistry tenants;

    private CosmosStore(CosmosConnection connection, Integer ttlSeconds) {
        this.connection = connection;
        this.documents = new CosmosEventDocuments(connection, ttlSeconds);
        this.instances = new CosmosAlertInstances(connection, ttlSeconds);
        this.payloads = new CosmosPayloads(connection, ttlSeconds);
        this.search = new CosmosEventSearch(connection);
        this.tenants = new CosmosTenantRegistry(connection);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public EventDocuments documents() {
        return documents;
    }

    @Override
    public AlertInstances instances() {
        return instances;
    }

    @Override
    public PayloadStore payloads() {
        return payloads;
    }

    @Override
    public EventSearch search() {
        return search;
    }

    @Override
    public TenantRegistry registry() {
        return tenants;
    }

    @Override
    public String health() {
        return connection.health();
    }

    /** Closes the client if this store built it; a client passed in belongs to the caller. */
    @Override
    public void close() {
        connection.close();
    }

    @Override
    public String toString() {
        return "CosmosStore{" + connection + "}";
    }

    /**
     * Where the store is and how it talks to it: an endpoint with a key or a credential, or an existing client;
     * database and container names; gateway (default) or direct mode; an optional TTL in days; the bound on one call
     * (default 5 s).
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

        public Builder endpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** The account key (local runs); in Azure the app uses its identity ({@link #credential}). */
        public Builder key(Secret key) {
            this.key = key;
            return this;
        }

        /** The Microsoft Entra credential (ignored with a key). */
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
            if (ttlDays != null && (ttlDays <= 0 || ttlDays > Integer.MAX_VALUE / 86_400)) {
                throw new IllegalArgumentException("ttlDays must be from 1 to " + Integer.MAX_VALUE / 86_400);
            }
            this.ttlDays = ttlDays;
            return this;
        }

        /** The bound on one store call, the SDK's retries included (default 5 s). */
        public Builder operationTimeout(Duration operationTimeout) {
            this.operationTimeout = positive(operationTimeout, "operationTimeout");
            return this;
        }

        /**
         * How long the first call waits for the client to be built (it reads the account, and with managed identity
         * fetches a token first); default 10 s. A build that takes longer goes on, and a later call uses it.
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /** Builds the store; connects nothing (the client is built on the first call). */
        public CosmosStore build() {
            Objects.requireNonNull(database, "database");
            Objects.requireNonNull(container, "container");
            Integer ttlSeconds = ttlDays == null ? null : ttlDays * 86_400;
            if (client != null) {
                CosmosAsyncClient given = client;
                return new CosmosStore(new CosmosConnection(() -> given, false, database, container,
                        operationTimeout, connectTimeout), ttlSeconds);
            }
            Objects.requireNonNull(endpoint, "endpoint");
            if (key == null && credential == null) {
                throw new IllegalStateException("a Cosmos DB store needs a key or a credential");
            }
            CosmosClientBuilder clientBuilder = clientBuilder();
            return new CosmosStore(new CosmosConnection(clientBuilder::buildAsyncClient, true, database, container,
                    operationTimeout, connectTimeout), ttlSeconds);
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
            return key != null ? b.key(key.reveal()) : b.credential(credential);
        }

        private static Duration positive(Duration d, String name) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        }
    }
}
