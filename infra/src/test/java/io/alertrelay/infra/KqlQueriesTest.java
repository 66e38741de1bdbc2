package io.alertrelay.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.logging.entry.LogProperty;
import io.alertrelay.logging.entry.Outcome;
import io.alertrelay.logging.entry.Stage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The KQL of infra/queries: each parses and fits the table's schema (Kusto.Language, infra/validate/check-kql.js);
 * the query pack and the workbook carry exactly these files; each names the Properties keys it reads, and filters on
 * stages, outcomes and keys the code writes.
 */
class KqlQueriesTest {

    private static final Pattern PROPERTY_READ = Pattern.compile("\\bProperties(?:\\.(\\w+)|\\[\\s*[\"'](\\w+)[\"']\\s*])");
    private static final Pattern PROPERTIES_HEADER = Pattern.compile("(?m)^// Properties keys: (.*)$");

    @Test
    void everyQueryParsesAndFitsTheTableSchema() {
        NodeTool.requireNode();
        List<String> files = Infra.queryFiles().stream().map(Path::toString).toList();
        assertThat(files).hasSizeGreaterThanOrEqualTo(6);

        NodeTool.Result result = check(files);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains(files.size() + " passed, 0 failed");
    }

    @Test
    void theCheckerRejectsAQueryWithAnUnknownColumn(@TempDir Path dir) throws IOException {
        NodeTool.requireNode();
        String query = Infra.read(Infra.infra().resolve("queries/alert-volume.kql"));
        assertThat(query).contains("Tenant,");
        Path misspelt = Files.writeString(dir.resolve("misspelt.kql"), query.replace("Tenant,", "Tennant,"));

        NodeTool.Result result = check(List.of(misspelt.toString()));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains(misspelt + ":")
                .contains("The name 'Tennant' does not refer to any known column, table, variable or function");
    }

    @Test
    void theQueryPackAndTheWorkbookCarryExactlyTheQueryFiles() {
        JsonNode json = Infra.readJson(Infra.template());
        Map<String, String> embedded = new TreeMap<>();
        for (JsonNode q : json.at("/variables/queries")) {
            embedded.put(q.path("id").asText(), q.path("body").asText());
        }
        Map<String, String> files = new TreeMap<>();
        for (Path f : Infra.queryFiles()) {
            files.put(f.getFileName().toString().replace(".kql", ""), Infra.read(f).replace("\r\n", "\n"));
        }
        assertThat(embedded).as("variables.queries of azuredeploy.json: paste the changed .kql file as its body")
                .isEqualTo(files);

        JsonNode queries = Infra.onlyResource(json, "Microsoft.OperationalInsights/queryPacks/queries");
        assertThat(queries.at("/copy/count").asText()).isEqualTo("[length(variables('queries'))]");
        assertThat(queries.at("/properties/body").asText()).isEqualTo("[variables('queries')[copyIndex()].body]");

        JsonNode items = json.at("/variables/copy/0");
        assertThat(items.path("name").asText()).isEqualTo("workbookQueryItems");
        assertThat(items.path("count").asText()).isEqualTo("[length(variables('queries'))]");
        assertThat(items.at("/input/content/query").asText()).isEqualTo("[variables('queries')[copyIndex('workbookQueryItems')].body]");
        assertThat(json.at("/variables/workbook/items").asText()).contains("variables('workbookQueryItems')");
        assertThat(Infra.onlyResource(json, "Microsoft.Insights/workbooks").at("/properties/serializedData").asText())
                .isEqualTo("[string(variables('workbook'))]");
        for (JsonNode q : json.at("/variables/queries")) {
            assertThat(q.path("visualization").asText()).as(q.path("id").asText())
                    .isIn("timechart", "barchart", "table", "piechart", "areachart");
        }
    }

    /**
     * The workbook as ARM renders it: one query tile per entry of variables.queries (copy loop workbookQueryItems),
     * each showing its .kql file over the TimeRange parameter; among them the replay tile (issue 13).
     */
    @Test
    void theWorkbookShowsEachQueryFileAsATileOverTheTimeRange() {
        JsonNode json = Infra.readJson(Infra.template());
        Map<String, String> files = new TreeMap<>();
        for (Path f : Infra.queryFiles()) {
            files.put(f.getFileName().toString().replace(".kql", ""), Infra.read(f).replace("\r\n", "\n"));
        }
        Map<String, JsonNode> tiles = new TreeMap<>();
        for (JsonNode tile : workbookQueryTiles(json)) {
            assertThat(tiles.put(tile.path("name").asText(), tile)).as("tile names are unique").isNull();
            assertThat(tile.path("type").asInt()).as("a query item").isEqualTo(3);
            assertThat(tile.at("/content/timeContextFromParameter").asText()).isEqualTo("TimeRange");
            assertThat(tile.at("/content/resourceType").asText()).isEqualTo("microsoft.operationalinsights/workspaces");
        }
        assertThat(tiles.keySet()).as("one tile per query file").isEqualTo(files.keySet());
        tiles.forEach((name, tile) -> assertThat(tile.at("/content/query").asText()).as("query of tile %s", name)
                .isEqualTo(files.get(name)));

        JsonNode replays = tiles.get("replays-by-tenant");
        assertThat(replays).as("the replay tile").isNotNull();
        assertThat(replays.at("/content/title").asText()).isEqualTo("Replays by tenant and outcome");
        assertThat(replays.at("/content/visualization").asText()).isEqualTo("table");

        JsonNode tenants = tiles.get("tenants-by-backlog");
        assertThat(tenants).as("the tenants tile (issue 14)").isNotNull();
        assertThat(tenants.at("/content/title").asText()).isEqualTo("Tenants by backlog and p99 latency");
        assertThat(tenants.at("/content/visualization").asText()).isEqualTo("table");
    }

    /**
     * A query that filters on a stage, an outcome or a Properties key the code never writes finds nothing, silently:
     * every Stage and Outcome literal a query compares with is a value of {@link Stage} / {@link Outcome}, and every
     * Properties key it reads is one of {@link LogProperty} (the allow-list).
     */
    @Test
    void theQueriesUseOnlyStagesOutcomesAndPropertiesKeysTheCodeWrites() {
        Set<String> stages = Arrays.stream(Stage.values()).map(Stage::value).collect(Collectors.toSet());
        Set<String> outcomes = Arrays.stream(Outcome.values()).map(Outcome::value).collect(Collectors.toSet());
        Set<String> keys = Arrays.stream(LogProperty.values()).map(LogProperty::key).collect(Collectors.toSet());
        for (Path f : Infra.queryFiles()) {
            String query = Infra.read(f).replaceAll("(?m)^//.*$", "");
            assertThat(literalsComparedWith("Stage", query)).as("Stage values in %s", f.getFileName())
                    .isSubsetOf(stages);
            assertThat(literalsComparedWith("Outcome", query)).as("Outcome values in %s", f.getFileName())
                    .isSubsetOf(outcomes);
            Matcher m = PROPERTY_READ.matcher(query);
            while (m.find()) {
                assertThat(m.group(1) != null ? m.group(1) : m.group(2)).as("Properties key read by %s", f.getFileName())
                        .isIn(keys);
            }
        }
        String replays = Infra.read(Infra.infra().resolve("queries/replays-by-tenant.kql"));
        assertThat(literalsComparedWith("Stage", replays)).as("replays-by-tenant: the replay and its deliveries' outcomes")
                .containsExactlyInAnyOrder(Stage.REPLAYED.value(), Stage.DELIVERED.value(), Stage.REJECTED.value(),
                        Stage.RETRIED.value(), Stage.DEADLETTERED.value());
        assertThat(replays).contains("Properties." + LogProperty.REPLAY_ID.key());
        String tenants = Infra.read(Infra.infra().resolve("queries/tenants-by-backlog.kql"));
        assertThat(literalsComparedWith("Stage", tenants)).as("tenants-by-backlog: acceptance and the settled stages")
                .containsExactlyInAnyOrder(Stage.PUBLISHED.value(), Stage.DELIVERED.value(), Stage.REJECTED.value(),
                        Stage.SUPERSEDED.value(), Stage.DEADLETTERED.value());
        assertThat(tenants).contains("Properties." + LogProperty.LANE.key());
    }

    @Test
    void eachQueryListsThePropertiesKeysItReadsInItsHeader() {
        for (Path f : Infra.queryFiles()) {
            String query = Infra.read(f);
            Matcher header = PROPERTIES_HEADER.matcher(query);
            assertThat(header.find()).as("%s has a '// Properties keys: ...' line", f.getFileName()).isTrue();
            TreeSet<String> listed = new TreeSet<>();
            if (!header.group(1).trim().equals("none")) {
                for (String k : header.group(1).split(",")) {
                    listed.add(k.trim());
                }
            }
            TreeSet<String> read = new TreeSet<>();
            Matcher m = PROPERTY_READ.matcher(query.replaceAll("(?m)^//.*$", ""));
            while (m.find()) {
                read.add(m.group(1) != null ? m.group(1) : m.group(2));
            }
            assertThat(listed).as("Properties keys of %s", f.getFileName()).isEqualTo(read);
        }
    }

    /** The string literals a query compares a column with: {@code col == "x"}, {@code col != "x"}, {@code col in ("x")}. */
    static Set<String> literalsComparedWith(String column, String query) {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("\\b" + column + "\\s*(?:[!=]=\\s*(\"[^\"]*\")|!?in~?\\s*\\(([^)]*)\\))").matcher(query);
        while (m.find()) {
            Matcher literal = Pattern.compile("\"([^\"]*)\"").matcher(m.group(1) != null ? m.group(1) : m.group(2));
            while (literal.find()) {
                out.add(literal.group(1));
            }
        }
        return out;
    }

    /** The workbook's query items as ARM renders the copy loop workbookQueryItems of variables.copy. */
    static List<JsonNode> workbookQueryTiles(JsonNode json) {
        JsonNode loop = json.at("/variables/copy/0");
        ArmTemplate template = new ArmTemplate(json);
        int count = template.eval(loop.path("count")).asInt();
        // ArmTemplate knows copyIndex() of a resource loop; a variable loop names itself: the same value per iteration
        JsonNode input;
        try {
            input = Infra.JSON.readTree(loop.path("input").toString()
                    .replace("copyIndex('" + loop.path("name").asText() + "')", "copyIndex()"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<JsonNode> tiles = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tiles.add(template.eval(input, i));
        }
        return tiles;
    }

    private static NodeTool.Result check(List<String> files) {
        List<String> args = new ArrayList<>(List.of("--table", Infra.tableSchema().toString()));
        args.addAll(files);
        return NodeTool.node("check-kql.js", args);
    }
}
