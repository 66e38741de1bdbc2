package io.alertrelay.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * infra/pipeline/install-node.sh, as .ci/run sources it: a node older than 20 (Debian bookworm's 18) is replaced on the
 * PATH by the pinned release, downloaded once from a stand-in for nodejs.org/dist and checked against its
 * SHASUMS256.txt; a recent node is kept; a download that does not match its checksum is not installed.
 */
class InstallNodeScriptTest {

    static final String VERSION = "20.18.1";
    static final String DIST = "node-v" + VERSION + "-linux-x64";

    @TempDir
    Path dir;
    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private byte[] tarball;
    private String shasums;

    @BeforeEach
    void distribution() throws Exception {
        NodeTool.require(SmokeTestScriptTest.commandWorks("bash", "--version")
                && SmokeTestScriptTest.commandWorks("curl", "--version")
                && SmokeTestScriptTest.commandWorks("tar", "--version"), "bash, curl and tar");
        Assumptions.assumeTrue(List.of("amd64", "x86_64").contains(System.getProperty("os.arch")),
                "the pinned Node.js is linux-x64");
        // A release archive shaped like nodejs.org's: <dist>/bin/node and <dist>/bin/npm.
        Path release = dir.resolve("release");
        Scripts.executable(release.resolve(DIST + "/bin/node"), "#!/usr/bin/env bash\necho v" + VERSION + "\n");
        Scripts.executable(release.resolve(DIST + "/bin/npm"), "#!/usr/bin/env bash\necho 10.8.2\n");
        Path archive = dir.resolve(DIST + ".tar.gz");
        Process tar = new ProcessBuilder("tar", "-czf", archive.toString(), "-C", release.toString(), DIST)
                .redirectErrorStream(true).start();
        assertThat(tar.waitFor()).isZero();
        tarball = Files.readAllBytes(archive);
        shasums = sha256(tarball) + "  " + DIST + ".tar.gz\n" + "0".repeat(64) + "  node-v" + VERSION + "-linux-arm64.tar.gz\n";

        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.add(path);
            byte[] body = path.equals("/v" + VERSION + "/" + DIST + ".tar.gz") ? tarball
                    : path.equals("/v" + VERSION + "/SHASUMS256.txt") ? shasums.getBytes(StandardCharsets.UTF_8) : null;
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void debiansNode18IsReplacedByThePinnedNode20OnceAndThenFromTheCache() throws IOException {
        Path bin = fakeNode("v18.19.0");

        NodeTool.Result first = sourced(bin);
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(lastLines(first)).containsExactly("v" + VERSION, dir.resolve("cache/" + DIST + "/bin/node").toString());
        assertThat(requests).containsExactly("/v" + VERSION + "/" + DIST + ".tar.gz", "/v" + VERSION + "/SHASUMS256.txt");

        NodeTool.Result second = sourced(bin);
        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(lastLines(second).get(0)).isEqualTo("v" + VERSION);
        assertThat(requests).as("the second run uses the cache").hasSize(2);
    }

    @Test
    void aRecentNodeWithNpmIsKept() throws IOException {
        Path bin = fakeNode("v22.11.0");

        NodeTool.Result result = sourced(bin);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(lastLines(result)).containsExactly("v22.11.0", bin.resolve("node").toString());
        assertThat(requests).isEmpty();
    }

    @Test
    void aDownloadThatDoesNotMatchItsChecksumIsNotInstalledAndTheCallerStops() throws IOException {
        shasums = "f".repeat(64) + "  " + DIST + ".tar.gz\n";
        Path bin = fakeNode("v18.19.0");

        NodeTool.Result result = sourced(bin);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("SHASUMS256.txt says " + "f".repeat(64) + ": not installed")
                .doesNotContain("after source");
        assertThat(dir.resolve("cache/" + DIST)).doesNotExist();
    }

    /** A bin directory with a node of that version and an npm. */
    private Path fakeNode(String version) throws IOException {
        Path bin = dir.resolve("bin-" + version);
        Scripts.executable(bin.resolve("node"), "#!/usr/bin/env bash\necho " + version + "\n");
        Scripts.executable(bin.resolve("npm"), "#!/usr/bin/env bash\necho 9.2.0\n");
        return bin;
    }

    /** Sources the script as .ci/run does (set -euo pipefail), then prints node's version and where it is. */
    private NodeTool.Result sourced(Path bin) throws IOException {
        Path caller = dir.resolve("caller.sh");
        Files.writeString(caller, "set -euo pipefail\nsource '" + Scripts.script("install-node.sh")
                + "'\necho after source\nnode --version\ncommand -v node\n");
        return Scripts.bash(caller, List.of(), Map.of("NODE_DIST_URL", "http://127.0.0.1:" + server.getAddress().getPort(),
                "NODE_CACHE_DIR", dir.resolve("cache").toString()), bin, 60);
    }

    private static List<String> lastLines(NodeTool.Result result) {
        List<String> lines = result.output().lines().toList();
        return lines.subList(Math.max(0, lines.size() - 2), lines.size());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
