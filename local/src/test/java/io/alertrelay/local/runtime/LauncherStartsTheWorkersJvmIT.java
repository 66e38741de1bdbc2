package io.alertrelay.local.runtime;

import static io.alertrelay.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.domain.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./alert-relay run} starts its JVM as the Azure Functions Java worker starts the JVM that runs our functions in
 * Azure: C1 only ({@code -XX:TieredStopAtLevel=1}, "Customize JVM" in Microsoft's Java developer guide), with the
 * {@code JAVA_OPTS} setting appended after it, as Azure appends it. Read from the running runtime's own
 * {@code /status.json}. An integration test: it runs the packaged jar through the launcher, after {@code package}.
 */
class LauncherStartsTheWorkersJvmIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Pattern HEALTH = Pattern.compile("Health:\\s+(http://127\\.0\\.0\\.1:\\d+)/api/health");

    @TempDir
    Path dir;

    @Test
    void theRuntimeCompilesWithC1OnlyAsAzuresJavaWorkerStartsItsJvm() throws Exception {
        assertThat(tieredStopAtLevel(null)).isEqualTo(1);
    }

    /** Level 2 is neither the worker's (1) nor HotSpot's default (4): only JAVA_OPTS can have set it. */
    @Test
    void javaOptsComeAfterTheWorkersOptionsAndWinAsInAzure() throws Exception {
        assertThat(tieredStopAtLevel("-XX:TieredStopAtLevel=2")).isEqualTo(2);
    }

    /** Starts {@code ./alert-relay run} (with {@code JAVA_OPTS} when given), reads its status, stops it. */
    private int tieredStopAtLevel(String javaOpts) throws IOException, InterruptedException {
        Path out = dir.resolve("out.txt");
        String launcher = RuntimeHarness.root().resolve("alert-relay").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of("bash", launcher, "run", "--port", "0", "--data-dir",
                dir.resolve("data").toString()))
                .directory(RuntimeHarness.root().toFile())
                .redirectOutput(out.toFile()).redirectError(dir.resolve("err.txt").toFile());
        builder.environment().put("ALERT_RELAY_NO_BUILD", "1");
        builder.environment().remove("JAVA_OPTS");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        if (javaOpts != null) {
            builder.environment().put("JAVA_OPTS", javaOpts);
        }
        Process runtime = builder.start();
        runtime.getOutputStream().close();
        try {
            URI base = await("the runtime's banner", WAIT, () -> baseUri(out, runtime), Optional::isPresent)
                    .orElseThrow();
            JsonNode process = Json.readTree(RuntimeHarness.get(base.resolve("/status.json")).body()).path("process");
            assertThat(process.path("tieredStopAtLevel").isInt()).as(process.toString()).isTrue();
            return process.path("tieredStopAtLevel").intValue();
        } finally {
            runtime.destroy(); // SIGTERM: the runtime's graceful stop
            if (!runtime.waitFor(60, TimeUnit.SECONDS)) {
                runtime.destroyForcibly();
            }
        }
    }

    private static Optional<URI> baseUri(Path out, Process runtime) {
        if (!runtime.isAlive()) {
            throw new AssertionError("./alert-relay run ended with " + runtime.exitValue() + " before it was ready");
        }
        try {
            Matcher m = HEALTH.matcher(Files.readString(out, StandardCharsets.UTF_8));
            return m.find() ? Optional.of(URI.create(m.group(1))) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
