package io.alertrelay.local;

import com.azure.core.amqp.AmqpRetryMode;
import com.azure.core.amqp.AmqpRetryOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.settings.SettingsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of {@code host.json} that shape how the Functions host runs the functions, read so the local host behaves
 * the same: for the Service Bus trigger {@code extensions.serviceBus.maxConcurrentCalls},
 * {@code maxAutoLockRenewalDuration} and {@code clientRetryOptions}; for HTTP functions
 * {@code extensions.http.maxConcurrentRequests} and {@code maxOutstandingRequests} ({@link Http}). Absent values take
 * the host's defaults.
 */
public record HostJson(int maxConcurrentCalls, Duration maxAutoLockRenewalDuration, AmqpRetryOptions retryOptions,
                       Http http) {

    /**
     * How many HTTP function invocations run at once, and how many may be held (running and waiting) before the host
     * answers 429; {@link #UNBOUNDED} for no limit. The host's default is unbounded on every plan but Windows
     * Consumption (100 and 200 there: {@code HttpOptionsSetup} in azure-functions-host); our plans are Linux Premium.
     * "host.json settings" in
     * <a href="https://learn.microsoft.com/azure/azure-functions/functions-bindings-http-webhook#hostjson-settings">HTTP
     * triggers and bindings</a>.
     */
    public record Http(int maxConcurrentRequests, int maxOutstandingRequests) {

        public static final int UNBOUNDED = -1;

        public static Http unbounded() {
            return new Http(UNBOUNDED, UNBOUNDED);
        }
    }

    private static final Pattern TIME_SPAN = Pattern.compile("(?:(\\d+)\\.)?(\\d{1,2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,7}))?");

    /** The Functions host's defaults (maxConcurrentCalls is 16 per processor there). */
    public static HostJson defaults() {
        return new HostJson(16 * Runtime.getRuntime().availableProcessors(), Duration.ofMinutes(5),
                new AmqpRetryOptions(), Http.unbounded());
    }

    public static HostJson read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new SettingsException(file.getFileName() + " cannot be read as JSON: " + e.getMessage());
        }
        JsonNode sb = root.path("extensions").path("serviceBus");
        HostJson d = defaults();
        int calls = sb.has("maxConcurrentCalls") ? sb.get("maxConcurrentCalls").asInt(0) : d.maxConcurrentCalls();
        if (calls < 1) {
            throw new SettingsException("host.json extensions.serviceBus.maxConcurrentCalls must be a positive number");
        }
        Duration renewal = sb.has("maxAutoLockRenewalDuration")
                ? timeSpan(sb.get("maxAutoLockRenewalDuration").asText(), "maxAutoLockRenewalDuration")
                : d.maxAutoLockRenewalDuration();
        return new HostJson(calls, renewal, retryOptions(sb.path("clientRetryOptions")),
                http(root.path("extensions").path("http")));
    }

    private static Http http(JsonNode http) {
        return new Http(limit(http, "maxConcurrentRequests"), limit(http, "maxOutstandingRequests"));
    }

    /** -1 (the host's "unbounded", also when absent) or a positive number, as the host's dataflow block takes it. */
    private static int limit(JsonNode http, String name) {
        if (!http.has(name)) {
            return Http.UNBOUNDED;
        }
        JsonNode value = http.get(name);
        if (!value.canConvertToInt() || !value.isIntegralNumber()
                || (value.intValue() < 1 && value.intValue() != Http.UNBOUNDED)) {
            throw new SettingsException("host.json extensions.http." + name + " must be a positive number, or -1 for"
                    + " no limit: " + value);
        }
        return value.intValue();
    }

    private static AmqpRetryOptions retryOptions(JsonNode r) {
        AmqpRetryOptions options = new AmqpRetryOptions();
        if (r.has("mode")) {
            options.setMode("fixed".equalsIgnoreCase(r.get("mode").asText()) ? AmqpRetryMode.FIXED
                    : AmqpRetryMode.EXPONENTIAL);
        }
        if (r.has("tryTimeout")) {
            options.setTryTimeout(timeSpan(r.get("tryTimeout").asText(), "clientRetryOptions.tryTimeout"));
        }
        if (r.has("delay")) {
            options.setDelay(timeSpan(r.get("delay").asText(), "clientRetryOptions.delay"));
        }
        if (r.has("maxDelay")) {
            options.setMaxDelay(timeSpan(r.get("maxDelay").asText(), "clientRetryOptions.maxDelay"));
        }
        if (r.has("maxRetries")) {
            options.setMaxRetries(r.get("maxRetries").asInt());
        }
        return options;
    }

    /** A .NET TimeSpan as host.json writes it: {@code [d.]hh:mm:ss[.fffffff]}. */
    static Duration timeSpan(String text, String name) {
        Matcher m = TIME_SPAN.matcher(text.trim());
        if (!m.matches()) {
            throw new SettingsException("host.json " + name + " must be a time span such as 00:05:00");
        }
        Duration d = Duration.ofDays(m.group(1) == null ? 0 : Long.parseLong(m.group(1)))
                .plusHours(Long.parseLong(m.group(2)))
                .plusMinutes(Long.parseLong(m.group(3)))
                .plusSeconds(Long.parseLong(m.group(4)));
        if (m.group(5) != null) {
            String ticks = (m.group(5) + "0000000").substring(0, 7); // 100 ns units
            d = d.plusNanos(Long.parseLong(ticks) * 100);
        }
        return d;
    }
}
