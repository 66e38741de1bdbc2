package io.alertrelay.local.status;

import io.alertrelay.local.platform.SamplePlatformReceiver;
import io.alertrelay.local.servicebus.ServiceBusEmulator;
import io.alertrelay.local.store.StoreStatistics;
import java.util.Optional;

/**
 * Where the status page looks: the pipeline's activity always; the stand-ins only when they run (a real Service Bus,
 * Cosmos DB or platform replaces them and is not queried from here).
 */
public record StatusSources(PipelineActivity activity, Optional<ServiceBusEmulator> bus, String topic,
                            String subscription, Optional<StoreStatistics> store,
                            Optional<SamplePlatformReceiver> receiver) {
}
