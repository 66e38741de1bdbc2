package io.alertrelay.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The alerts container indexes only what the store queries (issue 9, point 8; docs/deploy.md "Cosmos DB: indexing and
 * request units"): with no indexing policy Cosmos DB indexes every property of every item, the event and its
 * original payload included, and each indexed term adds to the request charge of every write.
 *
 * <p>Rules held here, from https://learn.microsoft.com/en-us/azure/cosmos-db/index-policy: "Any indexing policy has to
 * include the root path /* as either an included or an excluded path"; with the root excluded "the partition key
 * property path isn't indexed by default ... and should be explicitly included if needed"; a composite index "also
 * supports an ORDER BY clause with the opposite order on all paths", but not a mixed one; TTL "requires indexing"
 * (mode consistent, never none).
 */
class CosmosIndexingPolicyTest {

    /** What the store and the replay feature filter and sort on (DESIGN §7, §13). */
    static final Set<String> INDEXED_PROPERTIES = Set.of("tenant", "status", "createdAt", "alertKey");

    private final ArmTemplate template = new ArmTemplate(Infra.readJson(Infra.template()));
    private final JsonNode container = Infra.onlyResource(template.json(),
            "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers");
    private final JsonNode policy = container.at("/properties/resource/indexingPolicy");

    @Test
    void onlyTheQueriedPropertiesAreIndexedAndEverythingElseIsExcluded() {
        assertThat(policy.isObject()).as("the container declares an indexing policy (without one, Cosmos DB indexes"
                + " every path of every stored event)").isTrue();
        assertThat(texts(policy.path("excludedPaths"), "path")).as("the root is excluded").containsExactly("/*");

        Set<String> included = new LinkedHashSet<>(texts(policy.path("includedPaths"), "path"));
        Set<String> expected = new LinkedHashSet<>();
        INDEXED_PROPERTIES.forEach(p -> expected.add("/" + p + "/?"));
        assertThat(included).as("included paths: scalar paths of the queried properties, nothing else")
                .containsExactlyInAnyOrderElementsOf(expected);

        String partitionKey = container.at("/properties/resource/partitionKey/paths/0").asText();
        assertThat(included).as("the partition key is included: with the root excluded it is not indexed otherwise")
                .contains(partitionKey + "/?");
    }

    @Test
    void theIndexingModeKeepsTtlWorking() {
        assertThat(policy.path("indexingMode").asText()).isEqualTo("consistent");
        assertThat(policy.path("automatic").asBoolean(false)).isTrue();
        assertThat(template.eval(container.at("/properties/resource/defaultTtl")).asInt()).isEqualTo(-1);
    }

    @Test
    void everyOrderOfStatusAndCreatedAtIsServedByACompositeIndex() {
        List<List<String[]>> composites = new ArrayList<>();
        for (JsonNode composite : policy.path("compositeIndexes")) {
            List<String[]> paths = new ArrayList<>();
            composite.forEach(p -> paths.add(new String[] {p.path("path").asText(), p.path("order").asText()}));
            composites.add(paths);
        }
        assertThat(composites).as("composite indexes").isNotEmpty().allSatisfy(c -> assertThat(c)
                .extracting(p -> p[0]).containsExactly("/status", "/createdAt"));

        // A replay query filters on status and a createdAt window and sorts by createdAt either way, written as
        // ORDER BY c.status <dir>, c.createdAt <dir> so that the composite index applies.
        for (String statusOrder : List.of("ascending", "descending")) {
            for (String createdAtOrder : List.of("ascending", "descending")) {
                assertThat(composites.stream().anyMatch(c -> supports(c, statusOrder, createdAtOrder)))
                        .as("ORDER BY status %s, createdAt %s", statusOrder, createdAtOrder).isTrue();
            }
        }
        assertThat(composites).as("no more composite indexes than the four orders need (each costs on every write)")
                .hasSize(2);
    }

    @Test
    void theIndexedPropertiesAreOnesTheStoreWrites() {
        String documents = Infra.read(Infra.root().resolve(
                "shared/src/main/java/io/alertrelay/adapter/cosmos/AlertDocuments.java"));
        Matcher put = Pattern.compile("d\\.put\\(\"(\\w+)\"").matcher(documents);
        Set<String> written = new LinkedHashSet<>();
        while (put.find()) {
            written.add(put.group(1));
        }
        assertThat(written).as("properties AlertDocuments writes").containsAll(INDEXED_PROPERTIES);
    }

    /** The composite (status o1, createdAt o2) serves ORDER BY status s, createdAt c when equal or fully reversed. */
    private static boolean supports(List<String[]> composite, String status, String createdAt) {
        String o1 = composite.get(0)[1];
        String o2 = composite.get(1)[1];
        boolean same = o1.equals(status) && o2.equals(createdAt);
        boolean reversed = !o1.equals(status) && !o2.equals(createdAt);
        return same || reversed;
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }
}
