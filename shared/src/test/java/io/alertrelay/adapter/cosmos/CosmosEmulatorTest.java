package io.alertrelay.adapter.cosmos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.azure.cosmos.CosmosAsyncContainer;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.PartitionKey;
import com.azure.cosmos.models.SqlParameter;
import com.azure.cosmos.models.SqlQuerySpec;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Our launcher of @vercel/cosmosdb-server (tools/cosmos-emulator/launch.js) serves the Java SDK in gateway mode:
 * TLS with a certificate the JVM trusts, 404 for a missing item, and a query plan for SDK queries (DESIGN §12).
 */
class CosmosEmulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static CosmosAsyncContainer container;

    @BeforeEach
    void start() {
        if (container == null) {
            container = CosmosEmulator.get().createContainer("emulator-test", "items");
        }
    }

    @Test
    void itListensOnAFreeLoopbackPortOverTlsTheJvmTrusts() {
        assertThat(CosmosEmulator.get().endpoint().getHost()).isEqualTo("localhost");
        assertThat(CosmosEmulator.get().endpoint().getPort()).isPositive();
        assertThat(CosmosEmulator.get().client().getDatabase("emulator-test").read().block(Duration.ofSeconds(10))
                .getProperties().getId()).isEqualTo("emulator-test");
    }

    @Test
    void aReadOfAMissingItemAnswers404Not500() {
        CosmosException e = catchThrowableOfType(CosmosException.class, () ->
                container.readItem("missing", new PartitionKey("t1"), ObjectNode.class).block(Duration.ofSeconds(10)));
        assertThat(e.getStatusCode()).isEqualTo(404);
    }

    @Test
    void anSdkQueryWithinAPartitionGetsItsPlanAndItsResults() {
        for (String id : List.of("a", "b")) {
            ObjectNode doc = JSON.createObjectNode().put("id", id).put("tenant", "t-query").put("n", id.equals("a") ? 1 : 2);
            container.upsertItem(doc).block(Duration.ofSeconds(10));
        }
        container.upsertItem(JSON.createObjectNode().put("id", "c").put("tenant", "t-other").put("n", 1))
                .block(Duration.ofSeconds(10));

        SqlQuerySpec query = new SqlQuerySpec("SELECT * FROM c WHERE c.tenant = @t AND c.n >= @n",
                new SqlParameter("@t", "t-query"), new SqlParameter("@n", 1));
        List<String> ids = container.queryItems(query,
                        new CosmosQueryRequestOptions().setPartitionKey(new PartitionKey("t-query")), ObjectNode.class)
                .byPage().flatMapIterable(p -> p.getResults()).map(d -> d.get("id").asText())
                .collectList().block(Duration.ofSeconds(10));

        assertThat(ids).containsExactlyInAnyOrder("a", "b");
    }
}
