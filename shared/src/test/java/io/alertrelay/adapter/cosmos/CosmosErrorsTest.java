package io.alertrelay.adapter.cosmos;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.cosmos.CosmosException;
import io.alertrelay.port.PermanentStoreException;
import io.alertrelay.port.StoreException;
import io.alertrelay.port.TransientStoreException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** How every Cosmos DB failure maps to the port's two kinds (the SDK's exception, as the service answers). */
class CosmosErrorsTest {

    /** The SDK's exception for a status, as it builds one from a response (its constructor is protected). */
    private static CosmosException answered(int status) {
        return new CosmosException(status, "status " + status) {
        };
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 410, 429, 449, 500, 503})
    void throttlingTimeoutsAndUnavailableAreTransient(int status) {
        StoreException e = CosmosErrors.of("read event x in db/c", answered(status));

        assertThat(e).isInstanceOf(TransientStoreException.class).hasMessageContaining(String.valueOf(status));
        assertThat(e.kind()).isEqualTo("transient");
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 413})
    void refusalsAndAMissingContainerArePermanent(int status) {
        StoreException e = CosmosErrors.of("read event x in db/c", answered(status));

        assertThat(e).isInstanceOf(PermanentStoreException.class).hasMessageContaining(String.valueOf(status));
        assertThat(e.kind()).isEqualTo("permanent");
    }

    @Test
    void aTimeoutOrAConnectionFailureIsTransient() {
        assertThat(CosmosErrors.of("x", new TimeoutException())).isInstanceOf(TransientStoreException.class);
        assertThat(CosmosErrors.of("x", new java.net.ConnectException("refused"))).isInstanceOf(TransientStoreException.class);
    }
}
