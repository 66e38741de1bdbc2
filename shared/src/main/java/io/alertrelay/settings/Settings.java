package io.alertrelay.settings;

import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The app settings of DESIGN §9, read and validated once. A malformed value fails construction with a
 * {@link SettingsException} naming the setting; which function needs which setting is decided in one place,
 * {@link FunctionRequirements}. {@link #toString()} holds no secret.
 */
public final class Settings {

    public static final String SERVICE_BUS_CONNECTION = "ServiceBusConnection";
    public static final String SERVICE_BUS_NAMESPACE = "ServiceBusConnection__fullyQualifiedNamespace";
    public static final String ALERTS_TOPIC = "ALERTS_TOPIC";
    public static final String ALERTS_SUBSCRIPTION = "ALERTS_SUBSCRIPTION";
    /** The bulk lane's subscription (issue 14): a tenant's alerts beyond its fair share, and replays. */
    public static final String ALERTS_BULK_SUBSCRIPTION = "ALERTS_BULK_SUBSCRIPTION";
    /** The sliding window over which a tenant's share is counted, in seconds. */
    public static final String FAIR_SHARE_WINDOW_SECONDS = "FAIR_SHARE_WINDOW_SECONDS";
    /** Alerts one tenant may send per window, per instance, in the standard lane; the rest take the bulk lane. */
    public static final String FAIR_SHARE_ALERTS = "FAIR_SHARE_ALERTS";
    public static final String COSMOS_ENDPOINT = "COSMOS_ENDPOINT";
    public static final String COSMOS_KEY = "COSMOS_KEY";
    public static final String COSMOS_DATABASE = "COSMOS_DATABASE";
    public static final String COSMOS_CONTAINER = "COSMOS_CONTAINER";
    /** gateway (HTTPS on 443 only; the default, friendly to Functions' outbound limits) or direct (TCP, lower latency). */
    public static final String COSMOS_CONNECTION_MODE = "COSMOS_CONNECTION_MODE";
    public static final String PLATFORM_ENDPOINT_URL = "PLATFORM_ENDPOINT_URL";
    public static final String PLATFORM_SIGNING_SECRET = "PLATFORM_SIGNING_SECRET";
    public static final String TENANT_TOKEN_KEYS = "TENANT_TOKEN_KEYS";
    public static final String LOGS_INGESTION_ENDPOINT = "LOGS_INGESTION_ENDPOINT";
    public static final String LOGS_DCR_IMMUTABLE_ID = "LOGS_DCR_IMMUTABLE_ID";
    public static final String LOGS_STREAM_NAME = "LOGS_STREAM_NAME";
    public static final String MAX_BODY_BYTES = "MAX_BODY_BYTES";
    public static final String MAX_MESSAGE_BYTES = "MAX_MESSAGE_BYTES";
    public static final String MAX_DELIVERY_COUNT = "MAX_DELIVERY_COUNT";
    public static final String STORE_TTL_DAYS = "STORE_TTL_DAYS";

    /** Every setting the code reads; the infrastructure template must set each of them (checked by a test). */
    public static final List<String> ALL = List.of(SERVICE_BUS_CONNECTION, SERVICE_BUS_NAMESPACE, ALERTS_TOPIC,
            ALERTS_SUBSCRIPTION, ALERTS_BULK_SUBSCRIPTION, FAIR_SHARE_WINDOW_SECONDS, FAIR_SHARE_ALERTS, COSMOS_ENDPOINT, COSMOS_KEY, COSMOS_DATABASE, COSMOS_CONTAINER, COSMOS_CONNECTION_MODE, PLATFORM_ENDPOINT_URL,
            PLATFORM_SIGNING_SECRET, TENANT_TOKEN_KEYS, LOGS_INGESTION_ENDPOINT, LOGS_DCR_IMMUTABLE_ID, LOGS_STREAM_NAME,
            MAX_BODY_BYTES, MAX_MESSAGE_BYTES, MAX_DELIVERY_COUNT, STORE_TTL_DAYS);

    /** Service Bus Standard caps a message at 256 KiB; 240 KiB leaves room for headers and properties. */
    static final long DEFAULT_MAX_MESSAGE_BYTES = 240 * 1024;
    static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    static final long DEFAULT_MAX_DELIVERY_COUNT = 10;
    /**
     * The Functions host refuses request bodies over 100 MB (its default maxRequestBodySize), so a larger limit
     * would never apply (https://learn.microsoft.com/azure/azure-functions/functions-bindings-http-webhook-trigger#limits).
     */
    static final long HOST_MAX_REQUEST_BYTES = 100L * 1024 * 1024;
    /** An event envelope alone takes about 1 KiB; Premium Service Bus takes messages up to 100 MB. */
    static final long MIN_MESSAGE_BYTES = 1024;
    static final long MAX_MESSAGE_BYTES_LIMIT = 100L * 1024 * 1024;
    /** Our bound: beyond any useful retry series, and it keeps the dead-lettering arithmetic in an int. */
    static final long MAX_DELIVERY_COUNT_LIMIT = 2000;
    /**
     * The fair share (issue 14): 100 alerts per tenant per 10 s per instance in the standard lane (the same as
     * FairShare's defaults). A tenant sending one alert every 250 ms stays inside it even when a stall at intake
     * bunches its alerts: with a share of 50, such a tenant's alerts bunched after a 7 s stall during a flood tipped
     * it into the bulk lane behind the flood (measured with load --noisy, README "Fairness between tenants"). A flood
     * of hundreds a second passes it within half a second.
     */
    static final long DEFAULT_FAIR_SHARE_WINDOW_SECONDS = 10;
    static final long DEFAULT_FAIR_SHARE_ALERTS = 100;
    /** A window of an hour counts a burst long after it ended; beyond it the lanes stop meaning "now". */
    static final long MAX_FAIR_SHARE_WINDOW_SECONDS = 3600;
    static final long MAX_FAIR_SHARE_ALERTS = 1_000_000;
    /** Cosmos DB's ttl is a 32-bit count of seconds: 24,855 days is the most that fits. */
    static final long MAX_TTL_DAYS = Integer.MAX_VALUE / 86_400;

    private final Optional<ServiceBusTarget> serviceBus;
    private final String alertsTopic;
    private final String alertsSubscription;
    private final String alertsBulkSubscription;
    private final Duration fairShareWindow;
    private final int fairShareAlerts;
    private final Optional<URI> cosmosEndpoint;
    private final Optional<Secret> cosmosKey;
    private final String cosmosDatabase;
    private final String cosmosContainer;
    private final boolean cosmosDirectMode;
    private final Optional<URI> platformEndpoint;
    private final List<Secret> platformSigningSecrets;
    private final List<Secret> tenantTokenKeys;
    private final Optional<URI> logsIngestionEndpoint;
    private final Optional<String> logsDcrImmutableId;
    private final String logsStreamName;
    private final long maxBodyBytes;
    private final long maxMessageBytes;
    private final int maxDeliveryCount;
    private final Optional<Integer> storeTtlDays;
    private final java.util.Set<String> disabledFunctions;

    private Settings(SettingsReader r) {
        disabledFunctions = r.disabledFunctions();
        serviceBus = ServiceBusTarget.from(r);
        alertsTopic = r.string(ALERTS_TOPIC, "alerts");
        alertsSubscription = r.string(ALERTS_SUBSCRIPTION, "platform-delivery");
        alertsBulkSubscription = r.string(ALERTS_BULK_SUBSCRIPTION, "platform-delivery-bulk");
        if (alertsBulkSubscription.equalsIgnoreCase(alertsSubscription)) {
            throw new SettingsException("settings " + ALERTS_SUBSCRIPTION + " and " + ALERTS_BULK_SUBSCRIPTION
                    + " must name two subscriptions: each lane has its own");
        }
        fairShareWindow = Duration.ofSeconds(r.inRange(FAIR_SHARE_WINDOW_SECONDS,
                DEFAULT_FAIR_SHARE_WINDOW_SECONDS, 1, MAX_FAIR_SHARE_WINDOW_SECONDS));
        fairShareAlerts = (int) r.inRange(FAIR_SHARE_ALERTS, DEFAULT_FAIR_SHARE_ALERTS, 1, MAX_FAIR_SHARE_ALERTS);
        cosmosEndpoint = r.url(COSMOS_ENDPOINT);
        cosmosKey = r.secret(COSMOS_KEY);
        cosmosDatabase = r.string(COSMOS_DATABASE, "alertrelay");
        cosmosContainer = r.string(COSMOS_CONTAINER, "alerts");
        cosmosDirectMode = r.oneOf(COSMOS_CONNECTION_MODE, "gateway", "gateway", "direct").equals("direct");
        platformEndpoint = r.url(PLATFORM_ENDPOINT_URL);
        platformSigningSecrets = signingSecrets(r);
        tenantTokenKeys = r.secretList(TENANT_TOKEN_KEYS);
        logsIngestionEndpoint = r.url(LOGS_INGESTION_ENDPOINT);
        logsDcrImmutableId = r.optional(LOGS_DCR_IMMUTABLE_ID);
        logsStreamName = r.string(LOGS_STREAM_NAME, "Custom-AlertRelay_CL");
        if (logsIngestionEndpoint.isPresent() != logsDcrImmutableId.isPresent()) {
            throw new SettingsException("settings " + LOGS_INGESTION_ENDPOINT + " and " + LOGS_DCR_IMMUTABLE_ID
                    + " go together: set both to log to Log Analytics, or neither");
        }
        maxBodyBytes = r.inRange(MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES, 1, HOST_MAX_REQUEST_BYTES);
        maxMessageBytes = r.inRange(MAX_MESSAGE_BYTES, DEFAULT_MAX_MESSAGE_BYTES, MIN_MESSAGE_BYTES, MAX_MESSAGE_BYTES_LIMIT);
        maxDeliveryCount = (int) r.inRange(MAX_DELIVERY_COUNT, DEFAULT_MAX_DELIVERY_COUNT, 1, MAX_DELIVERY_COUNT_LIMIT);
        storeTtlDays = r.optional(STORE_TTL_DAYS).map(v -> (int) r.inRange(STORE_TTL_DAYS, 0, 1, MAX_TTL_DAYS));
    }

    /** Reads and validates settings from a map of app settings (the process environment in Azure). */
    public static Settings from(Map<String, String> values) {
        return new Settings(new SettingsReader(values));
    }

    public static Settings fromEnvironment() {
        return from(System.getenv());
    }

    private static List<Secret> signingSecrets(SettingsReader r) {
        // Two secrets during rotation, separated by a space or comma, each "whsec_" + base64 (Standard Webhooks).
        List<Secret> secrets = r.optional(PLATFORM_SIGNING_SECRET)
                .map(v -> List.of(v.split("[,\\s]+")))
                .orElse(List.of()).stream().filter(s -> !s.isEmpty()).map(Secret::new).toList();
        for (Secret s : secrets) {
            String v = s.reveal();
            try {
                if (!v.startsWith("whsec_") || Base64.getDecoder().decode(v.substring(6)).length < 16) {
                    throw new SettingsException("setting " + PLATFORM_SIGNING_SECRET
                            + " must be one or two secrets of the form whsec_<base64 of at least 16 bytes>");
                }
            } catch (IllegalArgumentException e) {
                throw new SettingsException("setting " + PLATFORM_SIGNING_SECRET + " holds a secret that is not valid base64 after whsec_");
            }
        }
        if (secrets.size() > 2) {
            throw new SettingsException("setting " + PLATFORM_SIGNING_SECRET + " holds more than two secrets");
        }
        return secrets;
    }

    /** Where the bus is, if set (whether a function needs it: {@link FunctionRequirements}). */
    public Optional<ServiceBusTarget> serviceBus() {
        return serviceBus;
    }

    public boolean hasServiceBus() {
        return serviceBus.isPresent();
    }

    public boolean hasTenantTokenKeys() {
        return !tenantTokenKeys.isEmpty();
    }

    /**
     * True when the app setting {@code AzureWebJobs.<function>.Disabled} is true: the host then does not run that
     * function ("How to disable functions", https://learn.microsoft.com/azure/azure-functions/disable-function).
     */
    public boolean isDisabled(String function) {
        return disabledFunctions.contains(function);
    }

    /** Tenant token keys, current first; empty when unset (whether a function needs them: FunctionRequirements). */
    public List<Secret> tenantTokenKeys() {
        return tenantTokenKeys;
    }

    public String alertsTopic() {
        return alertsTopic;
    }

    public String alertsSubscription() {
        return alertsSubscription;
    }

    /** The bulk lane's subscription (the standard lane's is {@link #alertsSubscription()}). */
    public String alertsBulkSubscription() {
        return alertsBulkSubscription;
    }

    /** Both lanes' subscriptions, standard first: replay drains, and health counts, the dead-letter queue of each. */
    public List<String> alertsSubscriptions() {
        return List.of(alertsSubscription, alertsBulkSubscription);
    }

    /** The sliding window over which a tenant's alerts are counted. */
    public Duration fairShareWindow() {
        return fairShareWindow;
    }

    /** Alerts per tenant per window (per instance) that take the standard lane. */
    public int fairShareAlerts() {
        return fairShareAlerts;
    }

    public Optional<URI> cosmosEndpoint() {
        return cosmosEndpoint;
    }

    public Optional<Secret> cosmosKey() {
        return cosmosKey;
    }

    public String cosmosDatabase() {
        return cosmosDatabase;
    }

    public String cosmosContainer() {
        return cosmosContainer;
    }

    /** True for direct (TCP) mode, false for gateway (HTTPS) mode. */
    public boolean cosmosDirectMode() {
        return cosmosDirectMode;
    }

    public Optional<URI> platformEndpoint() {
        return platformEndpoint;
    }

    public List<Secret> platformSigningSecrets() {
        return platformSigningSecrets;
    }

    public Optional<URI> logsIngestionEndpoint() {
        return logsIngestionEndpoint;
    }

    public Optional<String> logsDcrImmutableId() {
        return logsDcrImmutableId;
    }

    public String logsStreamName() {
        return logsStreamName;
    }

    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    public long maxMessageBytes() {
        return maxMessageBytes;
    }

    public int maxDeliveryCount() {
        return maxDeliveryCount;
    }

    public Optional<Integer> storeTtlDays() {
        return storeTtlDays;
    }

    @Override
    public String toString() {
        return "Settings{serviceBus=" + serviceBus.map(ServiceBusTarget::describe).orElse("unset")
                + ", topic=" + alertsTopic + ", subscriptions=" + alertsSubscription + "," + alertsBulkSubscription
                + ", fairShare=" + fairShareAlerts + "/" + fairShareWindow.toSeconds() + "s"
                + ", cosmos=" + cosmosEndpoint.map(URI::getHost).orElse("unset")
                + ", platform=" + platformEndpoint.map(URI::getHost).orElse("unset")
                + ", maxBodyBytes=" + maxBodyBytes + ", maxMessageBytes=" + maxMessageBytes
                + ", maxDeliveryCount=" + maxDeliveryCount + "}";
    }
}
