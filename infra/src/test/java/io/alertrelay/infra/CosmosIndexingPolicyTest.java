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
    static final Set<String> INDEXED_PROPERTIES = Set.of("tenant", "status", "createdAt", "alertKey", "eventTime");

    /**
     * The replay's event search, in full (CosmosEventSearch, issue 13): one tenant's partition, the statuses asked
     * for, a window on the event's own time, oldest first. Without statuses it filters on IS_DEFINED(c.status);
     * without a window the eventTime conditions are left out.
     */
    static final String REPLAY_QUERY = "SELECT * FROM c WHERE c.tenant = @tenant AND c.status IN (@status0, @status1)"
            + " AND c.eventTime >= @since AND c.eventTime < @until ORDER BY c.eventTime ASC";

    /** The tenant registry (CosmosTenantRegistry): one small document per tenant, in the partition "_registry". */
    static final String REGISTRY_QUERY = "SELECT c.name FROM c WHERE c.tenant = @partition";

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
        List<List<String[]>> composites = composites().stream()
                .filter(c -> c.stream().anyMatch(p -> p[0].equals("/createdAt"))).toList();
        assertThat(composites).as("composite indexes on createdAt").isNotEmpty().allSatisfy(c -> assertThat(c)
                .extracting(p -> p[0]).containsExactly("/status", "/createdAt"));

        // A query that filters on status and a createdAt window and sorts by createdAt either way, written as
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

    /**
     * The replay query and the registry query are served by the index (issue 13). From
     * https://learn.microsoft.com/en-us/azure/cosmos-db/index-overview#range-index: "An ORDER BY clause that orders by a
     * single property always needs a range index and fails if the path it references doesn't have one", so with the
     * root excluded, /eventTime/? is what lets the replay query run at all, and it is what serves its
     * ORDER BY c.eventTime. From https://learn.microsoft.com/en-us/azure/cosmos-db/index-policy#composite-indexes
     * ("Queries with filters on multiple properties"): for a filter on two or more properties a composite index makes
     * the query take "less time and consuming fewer RUs"; "the properties with equality filters must be defined
     * first", and a property with a range filter "should be defined last"; the order (ascending or descending) "has no
     * impact". So (status, eventTime) serves the filter {@code status IN (...) AND eventTime >= .. AND eventTime < ..}.
     * The page's examples use {@code =}; IN is the equality kind (index-overview lists "Equality filters, IN" for
     * index seeks); the query's metrics (indexUtilization) show whether the composite is used. It does not serve the
     * ORDER BY: "Queries with a filter and ORDER BY" can use a composite only when the filtered properties come first
     * in the ORDER BY (the page's table: index (name ASC, timestamp ASC), query
     * {@code WHERE c.name = "John" ORDER BY c.timestamp ASC}: "No"). The tenant is the partition key: the query is
     * sent to that one partition and its filter is served by /tenant/? like the registry's.
     */
    @Test
    void theReplayAndRegistryQueriesAreServedByTheIndex() {
        Set<String> included = new LinkedHashSet<>(texts(policy.path("includedPaths"), "path"));
        for (String query : List.of(REPLAY_QUERY, REGISTRY_QUERY)) {
            Clauses q = Clauses.of(query);
            for (String property : q.all()) {
                assertThat(included).as("%s: c.%s is indexed (the root is excluded)", query, property)
                        .contains("/" + property + "/?");
            }
            assertThat(q.orderBy()).as("%s orders by one property at most: a range index serves it", query)
                    .hasSizeLessThanOrEqualTo(1);
        }

        Clauses replay = Clauses.of(REPLAY_QUERY);
        String partitionKey = container.at("/properties/resource/partitionKey/paths/0").asText();
        List<String> equality = replay.equality().stream().filter(p -> !("/" + p).equals(partitionKey)).toList();
        assertThat(equality).as("equality filters of the replay query besides the partition key").containsExactly("status");
        assertThat(replay.range()).as("range filters of the replay query").containsExactly("eventTime");
        List<String> wanted = List.of("/status", "/eventTime");
        assertThat(composites()).as("a composite index (status, eventTime): equality property first, range property last")
                .anySatisfy(c -> assertThat(c).extracting(p -> p[0]).containsExactlyElementsOf(wanted));
        assertThat(replay.orderBy()).as("the replay query orders by eventTime alone: the range index /eventTime/? serves it")
                .containsExactly("eventTime");
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

    private List<List<String[]>> composites() {
        List<List<String[]>> composites = new ArrayList<>();
        for (JsonNode composite : policy.path("compositeIndexes")) {
            List<String[]> paths = new ArrayList<>();
            composite.forEach(p -> paths.add(new String[] {p.path("path").asText(), p.path("order").asText()}));
            composites.add(paths);
        }
        return composites;
    }

    /** The properties (of {@code c}) a query's WHERE compares for equality (=, IN) or a range, and ORDER BY sorts on. */
    record Clauses(List<String> equality, List<String> range, List<String> other, List<String> orderBy) {

        static Clauses of(String sql) {
            Matcher parts = Pattern.compile("(?i)\\bWHERE\\b(.*?)(?:\\bORDER BY\\b(.*))?$").matcher(sql);
            assertThat(parts.find()).as("a WHERE in %s", sql).isTrue();
            List<String> equality = new ArrayList<>();
            List<String> range = new ArrayList<>();
            List<String> other = new ArrayList<>();
            Matcher m = Pattern.compile("(?i)\\bc\\.(\\w+)\\s*(\\bIN\\b|>=|<=|!=|=|<|>)?").matcher(parts.group(1));
            while (m.find()) {
                String op = m.group(2) == null ? "" : m.group(2).toUpperCase();
                List<String> kind = op.equals("=") || op.equals("IN") ? equality : op.isEmpty() ? other : range;
                if (!kind.contains(m.group(1))) {
                    kind.add(m.group(1));
                }
            }
            List<String> orderBy = new ArrayList<>();
            if (parts.group(2) != null) {
                Matcher o = Pattern.compile("\\bc\\.(\\w+)").matcher(parts.group(2));
                while (o.find()) {
                    orderBy.add(o.group(1));
                }
            }
            return new Clauses(equality, range, other, orderBy);
        }

        Set<String> all() {
            Set<String> all = new LinkedHashSet<>(equality);
            all.addAll(range);
            all.addAll(other);
            all.addAll(orderBy);
            return all;
        }
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
