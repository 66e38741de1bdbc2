package io.alertrelay.infra;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the Node scripts of infra/validate. What they need (Node.js 20+, the pinned packages, ../shared/arm-schemas)
 * is checked first: when something is missing a test is skipped with a loud message, except with CI=true, where it
 * fails, since CI must run them.
 */
final class NodeTool {

    record Result(int exitCode, String output) {
    }

    private static final Path VALIDATE = Infra.infra().resolve("validate");
    private static boolean installed;

    private NodeTool() {
    }

    /** Skips the calling test (or fails it on CI) unless {@code present}. */
    static void require(boolean present, String what) {
        if (present) {
            return;
        }
        String message = "infra validation needs " + what;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message + ", and CI=true requires this validation to run");
        }
        System.err.println();
        System.err.println("!!!!!!!!!! SKIPPED: " + message + " (with CI=true this fails) !!!!!!!!!!");
        System.err.println();
        Assumptions.abort("SKIPPED: " + message);
    }

    static void requireSchemas() {
        require(Files.isRegularFile(Infra.armSchemas().resolve("2019-04-01/deploymentTemplate.json")),
                "Microsoft's ARM template schemas in " + Infra.armSchemas());
    }

    /** Node.js 20+ (infra/validate's package.json: "engines": {"node": ">=20"}) and its packages, from the lockfile. */
    static synchronized void requireNode() {
        Result version = start(List.of("node", "--version"), VALIDATE, 30);
        require(version != null && version.exitCode() == 0 && major(version.output()) >= 20,
                "Node.js 20 or newer on the PATH (found: " + (version == null ? "none" : version.output().trim()) + ")");
        if (installed) {
            return;
        }
        Path marker = VALIDATE.resolve("node_modules/.package-lock.json");
        try {
            if (!Files.exists(marker) || Files.getLastModifiedTime(marker)
                    .compareTo(Files.getLastModifiedTime(VALIDATE.resolve("package-lock.json"))) < 0) {
                Result ci = start(List.of("npm", "ci", "--no-audit", "--no-fund"), VALIDATE, 300);
                require(ci != null && ci.exitCode() == 0, "npm ci in infra/validate to succeed"
                        + (ci == null ? " (npm not found)" : ":\n" + ci.output()));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        installed = true;
    }

    /** Runs {@code node <script> <args>} in infra/validate. */
    static Result node(String script, List<String> args) {
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(args);
        Result r = start(command, VALIDATE, 300);
        if (r == null) {
            throw new IllegalStateException("node could not be started");
        }
        return r;
    }

    /** The process's exit code and merged output, or null when the program cannot be started. */
    private static Result start(List<String> command, Path dir, int timeoutSeconds) {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            return null;
        }
        try {
            // Read while it runs (a full pipe would stall it); bounded by the timeout below.
            var out = new java.io.ByteArrayOutputStream();
            Thread reader = new Thread(() -> {
                try {
                    p.getInputStream().transferTo(out);
                } catch (IOException ignored) {
                    // the process was killed
                }
            });
            reader.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " ran over " + timeoutSeconds + " s");
            }
            reader.join(5_000);
            return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int major(String version) {
        try {
            return Integer.parseInt(version.trim().replaceFirst("^v", "").split("\\.")[0]);
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
