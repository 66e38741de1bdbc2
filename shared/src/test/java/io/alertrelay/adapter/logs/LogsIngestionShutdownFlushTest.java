package io.alertrelay.adapter.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Buffered entries are flushed when the JVM shuts down: a child JVM logs, exits at once, and the rows arrive. */
class LogsIngestionShutdownFlushTest {

    @Test
    void entriesBufferedWhenTheJvmExitsAreSentByTheShutdownHook() throws Exception {
        try (HttpsReceiver receiver = HttpsReceiver.start()) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                    ShutdownFlushMain.class.getName(), receiver.endpoint(),
                    TestCertificate.get().keyStoreFile().toString(), "25"))
                    .redirectErrorStream(true).start();
            boolean exited = child.waitFor(60, TimeUnit.SECONDS);
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!exited) {
                child.destroyForcibly();
            }

            assertThat(exited).as("the child JVM exits: the hook's wait is bounded").isTrue();
            assertThat(child.exitValue()).as(output).isZero();
            assertThat(output).contains("offered 25, sent so far 0");
            assertThat(receiver.rows()).as(output).hasSize(25);
        }
    }
}
