package io.alertrelay.local.status;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's chromium, headless, with a fresh profile per call: the page's DOM after its scripts ran, or a screenshot.
 * Without chromium the calling test is skipped with a banner on stderr — except under {@code CI=true}, where it fails:
 * CI installs chromium and must run the test.
 */
final class HeadlessChromium {

    private static final Duration TIMEOUT = new Duration(60);

    private final Path binary;
    private final Path workDir;

    private HeadlessChromium(Path binary, Path workDir) {
        this.binary = binary;
        this.workDir = workDir;
    }

    /** Chromium if installed; otherwise the test is skipped (or fails under CI=true). */
    static HeadlessChromium require(Path workDir) {
        Optional<Path> found = find();
        if (found.isEmpty()) {
            String message = "chromium is not installed (apt-get install -y chromium): the status page test needs a "
                    + "real browser";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(message + " — and CI=true, where it must run");
            }
            System.err.println("\n*** SKIPPED: " + message + " ***\n");
            Assumptions.abort(message);
        }
        return new HeadlessChromium(found.get(), workDir);
    }

    private static Optional<Path> find() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getenv("CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        candidates.add(Path.of("/usr/bin/chromium"));
        candidates.add(Path.of("/usr/bin/chromium-browser"));
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /** The serialised DOM once the page's scripts had {@code virtualTimeMillis} of (virtual) time. */
    String dumpDom(URI page, int virtualTimeMillis) throws IOException, InterruptedException {
        return run(page, virtualTimeMillis, "--dump-dom");
    }

    /** A PNG of the page at 1280×900. */
    void screenshot(URI page, int virtualTimeMillis, Path png) throws IOException, InterruptedException {
        run(page, virtualTimeMillis, "--screenshot=" + png.toAbsolutePath(), "--window-size=1280,900");
        Assertions.assertTrue(Files.size(png) > 0, "chromium wrote no screenshot");
    }

    /** The page, open for a test to act on as a person would (click, then read what it shows). */
    BrowserPage open(URI page) throws IOException, InterruptedException {
        return BrowserPage.open(baseCommand(), page);
    }

    private List<String> baseCommand() throws IOException {
        Path profile = Files.createTempDirectory(workDir, "chromium-profile");
        return List.of(binary.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile);
    }

    private String run(URI page, int virtualTimeMillis, String... action) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(baseCommand());
        command.add("--virtual-time-budget=" + virtualTimeMillis);
        command.addAll(List.of(action));
        command.add(page.toString());
        Path stderr = workDir.resolve("chromium-stderr.txt");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(TIMEOUT.seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            Assertions.fail("chromium did not finish within " + TIMEOUT.seconds + " s");
        }
        Assertions.assertEquals(0, process.exitValue(), () -> "chromium failed: " + tail(stderr));
        return new String(out, StandardCharsets.UTF_8);
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "(no stderr)";
        }
    }

    private record Duration(long seconds) {
    }
}
