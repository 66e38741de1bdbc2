package io.alertrelay.adapter.cosmos;

import io.alertrelay.port.Store;
import io.alertrelay.port.StoreContract;
import org.junit.jupiter.api.AfterAll;

/** The store contract on Cosmos DB: CosmosStore against @vercel/cosmosdb-server over a real socket (DESIGN §11). */
class CosmosStoreContractTest extends StoreContract {

    private static CosmosStore shared;

    /** Per test, not @BeforeAll: without Node each test is then reported as skipped, not silently absent. */
    @Override
    protected Store store() {
        if (shared == null) {
            CosmosEmulator emulator = CosmosEmulator.get();
            emulator.createContainer("alertrelay", "contract");
            shared = CosmosStore.builder().client(emulator.client()).database("alertrelay").container("contract").build();
        }
        return shared;
    }

    @AfterAll
    static void close() {
        if (shared != null) {
            shared.close(); // the emulator's client is shared, not the store's: it stays open
        }
    }
}
