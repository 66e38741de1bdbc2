package io.alertrelay.testing;

import io.alertrelay.port.Store;
import io.alertrelay.port.StoreContract;

/** The fake that the use cases' tests run on keeps the same contract as the real stores. */
class InMemoryStoreContractTest extends StoreContract {

    @Override
    protected Store store() {
        return new InMemoryStore();
    }
}
