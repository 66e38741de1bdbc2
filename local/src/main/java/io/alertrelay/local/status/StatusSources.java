package io.alertrelay.local.status;

import io.alertrelay.local.host.HttpRequestThrottle;
import io.alertrelay.local.platform.SamplePlatformReceiver;
import io.alertrelay.local.servicebus.ServiceBusEmulator;
import io.alertrelay.local.store.StoreStatistics;
import java.util.Map;
import java.util.Optional;

/**
 * Where the status page looks: the pipeline's activity always; the stand-ins only when they run (a real Service Bus,
 * Cosmos DB or platform replaces them and is not queried from here).
 *
 * @param lanes lane name → its subscription of {@code topic}, standard first
 * @param http  host.json's limit on the HTTP functions, and the requests it holds
 */
public record StatusSources(PipelineActivity activity, Optional<ServiceBusEmulator> bus, String topic,
                            Map<String, String> lanes, Optional<StoreStatistics> store,
                            Optional<SamplePlatformReceiver> receiver, HttpRequestThrottle http) {

    public StatusSources {
        lanes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(lanes));
    }
}
