package io.alertrelay.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The KQL of infra/queries: each parses and fits the table's schema (Kusto.Language, infra/validate/check-kql.js);
 * the query pack and the workbook carry exactly these files; each names the Properties keys it reads.
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

    private static NodeTool.Result check(List<String> files) {
        List<String> args = new ArrayList<>(List.of("--table", Infra.tableSchema().toString()));
        args.addAll(files);
        return NodeTool.node("check-kql.js", args);
    }
}
