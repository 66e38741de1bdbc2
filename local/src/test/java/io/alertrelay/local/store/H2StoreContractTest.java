package io.alertrelay.local.store;

import io.alertrelay.port.Store;
import io.alertrelay.port.StoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the local runtime's H2 store, a real H2 file database. */
class H2StoreContractTest extends StoreContract {

    @TempDir
    Path dir;
    private H2Store h2;

    @Override
    protected Store store() {
        h2 = H2Store.open(dir, 8);
        return h2;
    }

    @AfterEach
    void close() {
        h2.close();
    }
}
