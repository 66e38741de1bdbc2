package io.alertrelay.port;

import java.util.List;

/**
 * The tenants that have stored events: what a replay without a tenant walks, one partition at a time, instead of a
 * cross-partition query (which Cosmos DB charges across every partition, and which the local stand-ins cannot run).
 */
public interface TenantRegistry {

    /** Records {@code tenant}; cheap when already recorded (adapters remember what they wrote). */
    void register(String tenant);

    /** Every recorded tenant, sorted. */
    List<String> tenants();
}
