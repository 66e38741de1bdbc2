package io.alertrelay.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** bitbucket-pipelines.yml does what docs/deploy.md promises: test every change, deploy main to staging only. */
class PipelineTest {

    private final Map<String, Object> pipelines = map(new Yaml().<Map<String, Object>>load(
            Infra.read(Infra.root().resolve("bitbucket-pipelines.yml"))).get("pipelines"));

    @Test
    void pullRequestsBuildAndTestWithMavenVerifyAndNode() {
        List<Map<String, Object>> steps = steps(map(pipelines.get("pull-requests")).get("**"));
        assertThat(steps).hasSize(1);
        assertThat(script(steps.get(0))).contains("mvn -B verify").contains("source infra/pipeline/install-node.sh");
    }

    @Test
    void mainIsPackagedDeployedToStagingAndSmokeTestedThenSwappedOnlyByHand() {
        List<Map<String, Object>> main = steps(map(pipelines.get("branches")).get("main"));
        assertThat(main).hasSize(4);

        Map<String, Object> build = main.get(0);
        assertThat(script(build)).contains("mvn -B verify")
                .contains("jar --create --no-manifest --file alert-relay.zip -C functions/target/azure-functions/alert-relay .");
        assertThat(build.get("artifacts")).isEqualTo(List.of("alert-relay.zip"));

        Map<String, Object> deploy = main.get(1);
        assertThat(deploy).containsEntry("deployment", "staging").doesNotContainKey("trigger");
        assertThat(script(deploy)).contains("bash infra/pipeline/az-login.sh")
                .contains("bash infra/pipeline/deploy-package.sh alert-relay.zip")
                .as("a zip deploy writes to the content share these apps do not have").doesNotContain("config-zip")
                .contains("bash infra/pipeline/smoke-test.sh \"https://$STAGING_HOST" + healthPath() + "\"")
                .doesNotContain("swap");

        for (Map<String, Object> swap : main.subList(2, 4)) {
            assertThat(swap).containsEntry("trigger", "manual");
            assertThat(script(swap)).contains("az functionapp deployment slot swap")
                    .containsPattern("--slot staging --target-slot production")
                    .contains("bash infra/pipeline/smoke-test.sh \"https://$PRODUCTION_HOST" + healthPath() + "\"");
        }
        assertThat(main.get(2)).containsEntry("deployment", "production");
    }

    @Test
    void everyVariableThePipelineReadsIsDocumentedInDeployMd() throws Exception {
        String docs = Infra.read(Infra.root().resolve("docs/deploy.md"));
        List<Path> sources = new ArrayList<>(List.of(Infra.root().resolve("bitbucket-pipelines.yml")));
        try (Stream<Path> scripts = Files.list(Infra.infra().resolve("pipeline"))) {
            scripts.filter(p -> p.toString().endsWith(".sh")).forEach(sources::add);
        }
        TreeSet<String> read = new TreeSet<>();
        TreeSet<String> assigned = new TreeSet<>(List.of("PATH", "NODE_VERSION"));
        for (Path source : sources) {
            String text = Infra.read(source);
            Matcher use = Pattern.compile("\\$\\{?([A-Z][A-Z0-9_]+)").matcher(text);
            while (use.find()) {
                read.add(use.group(1));
            }
            Matcher set = Pattern.compile("(?m)(?:^|[\\s-])([A-Z][A-Z0-9_]+)=").matcher(text);
            while (set.find()) {
                assigned.add(set.group(1));
            }
        }
        // Bitbucket's own variables, and bash's (BASH_REMATCH, HOME, ...), are nobody's to document
        read.removeIf(v -> v.startsWith("BITBUCKET_") || v.startsWith("BASH_") || v.equals("HOME") || assigned.contains(v));
        assertThat(read).contains("AZURE_CLIENT_ID", "AZURE_RESOURCE_GROUP", "FUNCTION_APP_NAME");
        for (String variable : read) {
            assertThat(docs).as("docs/deploy.md documents pipeline variable %s", variable).contains("`" + variable + "`");
        }
    }

    /** /api/health: the host's route prefix and the Health function's route. */
    private static String healthPath() {
        String prefix = find(Infra.read(Infra.root().resolve("host.json")), "\"routePrefix\"\\s*:\\s*\"(\\w+)\"");
        String route = find(Infra.read(Infra.root().resolve("functions/src/main/java/io/alertrelay/functions/Health.java")),
                "route\\s*=\\s*\"([^\"]+)\"");
        return "/" + prefix + "/" + route;
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex).isTrue();
        return m.group(1);
    }

    private static String script(Map<String, Object> step) {
        return String.join("\n", ((List<?>) step.get("script")).stream().map(String::valueOf).toList());
    }

    /** The steps of a pipeline: its list items, each {step: {...}}. */
    private static List<Map<String, Object>> steps(Object pipeline) {
        return ((List<?>) pipeline).stream().map(item -> map(map(item).get("step"))).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }
}
