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

    /** The one command of a build step that may come before .ci/run: fetch ../shared when it is not there. */
    static final String CLONE_SHARED = "if [ ! -d ../shared ]; then command -v git >/dev/null || { apt-get update -qq"
            + " && apt-get install -y -qq git ca-certificates; }; git clone --depth 1 \"$SHARED_REPO_URL\" ../shared; fi";

    private final Map<String, Object> yaml = new Yaml().load(Infra.read(Infra.root().resolve("bitbucket-pipelines.yml")));
    private final Map<String, Object> pipelines = map(yaml.get("pipelines"));

    /**
     * Issue 9, point 4: one definition of green. The build steps run .ci/run and nothing else (but fetching ../shared,
     * and packaging on main), on a Debian image whose chromium package is real, so StatusPageInBrowserTest runs under
     * Bitbucket's CI=true as it does under .ci/run anywhere.
     */
    @Test
    void pullRequestsRunCiRunAndNothingElse() {
        List<Map<String, Object>> steps = steps(map(pipelines.get("pull-requests")).get("**"));
        assertThat(steps).hasSize(1);
        assertThat(scriptLines(steps.get(0))).containsExactly(CLONE_SHARED, ".ci/run");
    }

    @Test
    void buildStepsRunOnAPinnedDebianImageAndCacheWhatCiRunDownloads() {
        assertThat(String.valueOf(yaml.get("image"))).as("build image: Debian (bookworm) pinned to a point release;"
                + " the Temurin Maven images are Ubuntu, whose chromium is a snap stub").matches("debian:12\\.\\d+");
        Map<String, Object> caches = map(map(yaml.get("definitions")).get("caches"));
        String nodeCache = find(Infra.read(Scripts.script("install-node.sh")), "NODE_CACHE_DIR:-\\$HOME/([^}]+)}");
        assertThat(caches).as("a cache for the pinned Node.js install-node.sh unpacks").containsValue("~/" + nodeCache)
                .containsValue("~/.npm");
        assertThat(caches.values()).as("npm ci deletes node_modules: caching it saves nothing")
                .noneMatch(v -> String.valueOf(v).contains("node_modules"));
        for (Map<String, Object> step : List.of(steps(map(pipelines.get("pull-requests")).get("**")).get(0),
                steps(map(pipelines.get("branches")).get("main")).get(0))) {
            assertThat(step).doesNotContainKey("image");
            List<String> stepCaches = list(step.get("caches")).stream().map(String::valueOf).toList();
            assertThat(stepCaches).contains("maven").containsAll(caches.keySet());
        }
    }

    @Test
    void ciRunInstallsARealChromiumAndANode20() {
        String ci = Infra.read(Infra.root().resolve(".ci/run"));
        assertThat(ci).contains("need_apt+=(chromium)").contains("chromium --version")
                .contains("source infra/pipeline/install-node.sh").contains("mvn -B verify")
                .doesNotContainPattern("\\|\\s*head\\b");
        assertThat(ci).as("Debian's nodejs is 18, too old for the tests: Node comes from install-node.sh")
                .doesNotContain("need_apt+=(nodejs)");
        assertThat(Infra.read(Scripts.script("install-node.sh"))).contains("major >= 20")
                .contains("NODE_VERSION=\"${NODE_VERSION:-20.");
    }

    @Test
    void mainIsPackagedDeployedToStagingAndSmokeTestedThenSwappedOnlyByHand() {
        List<Map<String, Object>> main = steps(map(pipelines.get("branches")).get("main"));
        assertThat(main).hasSize(4);

        Map<String, Object> build = main.get(0);
        assertThat(scriptLines(build)).containsExactly(CLONE_SHARED, ".ci/run",
                "jar --create --no-manifest --file alert-relay.zip -C functions/target/azure-functions/alert-relay .");
        assertThat(build.get("artifacts")).isEqualTo(List.of("alert-relay.zip"));

        Map<String, Object> deploy = main.get(1);
        assertThat(deploy).containsEntry("deployment", "staging").doesNotContainKey("trigger");
        assertThat(script(deploy)).contains("bash infra/pipeline/az-login.sh")
                .contains("bash infra/pipeline/deploy-package.sh alert-relay.zip")
                .as("a zip deploy writes to the content share these apps do not have").doesNotContain("config-zip")
                .contains("bash infra/pipeline/smoke-test.sh \"https://$STAGING_HOST" + healthPath() + "\"")
                .doesNotContain("swap");
        // Issue 9, point 5: the webhook half of the probe on staging (its dequeuer is disabled), after the smoke test
        assertThat(scriptLines(deploy)).endsWith("bash infra/pipeline/probe-slot.sh --slot staging --webhook-only");

        for (Map<String, Object> swap : main.subList(2, 4)) {
            assertThat(swap).containsEntry("trigger", "manual");
            assertThat(script(swap)).contains("az functionapp deployment slot swap")
                    .containsPattern("--slot staging --target-slot production")
                    .contains("bash infra/pipeline/smoke-test.sh \"https://$PRODUCTION_HOST" + healthPath() + "\"");
            // ... and the full probe against production, after the swap: proof of delivery, not only of health
            List<String> lines = scriptLines(swap);
            assertThat(lines).endsWith("bash infra/pipeline/probe-slot.sh");
            assertThat(lines.indexOf("bash infra/pipeline/probe-slot.sh"))
                    .isGreaterThan(lines.stream().filter(l -> l.contains("slot swap")).map(lines::indexOf).findFirst().orElseThrow());
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
        return String.join("\n", scriptLines(step));
    }

    private static List<String> scriptLines(Map<String, Object> step) {
        return list(step.get("script")).stream().map(String::valueOf).toList();
    }

    private static List<?> list(Object o) {
        assertThat(o).isInstanceOf(List.class);
        return (List<?>) o;
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
