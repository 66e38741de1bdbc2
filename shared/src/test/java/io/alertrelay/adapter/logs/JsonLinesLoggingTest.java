package io.alertrelay.adapter.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.logging.InvocationLog;
import io.alertrelay.logging.entry.LogProperty;
import io.alertrelay.logging.entry.Stage;
import io.alertrelay.logging.TableSchema;
import io.alertrelay.testing.InMemoryLogSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local runtime's sink: the same rows as JSON lines. */
class JsonLinesLoggingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void eachEntryIsOneJsonLineWithExactlyTheTablesColumns() throws Exception {
        Path file = dir.resolve("logs/alertrelay.jsonl");
        try (JsonLinesLogSink sink = JsonLinesLogSink.toFile(file)) {
            InvocationLog log = SinkTesting.invocation(sink);
            log.log(Stage.RECEIVED, "first");
            log.event("contoso.e1", "io.alertrelay.alert.fired", "contoso").at(Stage.STORED)
                    .property(LogProperty.STATUS, "received").log("second\nwith a newline");
            // readable before close: each line is flushed
            assertThat(Files.readAllLines(file)).hasSize(2);
        }

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        for (String line : lines) {
            TableSchema.assertRowMatches(JSON.readTree(line));
        }
        JsonNode second = JSON.readTree(lines.get(1));
        assertThat(second.path("Message").asText()).isEqualTo("second\nwith a newline");
        assertThat(second.path("Stage").asText()).isEqualTo("stored");
        assertThat(second.path("Properties").path("status").asText()).isEqualTo("received");
    }

    @Test
    void aReopenedFileIsAppendedTo() throws Exception {
        Path file = dir.resolve("a.jsonl");
        try (JsonLinesLogSink sink = JsonLinesLogSink.toFile(file)) {
            SinkTesting.invocation(sink).log(Stage.RECEIVED, "one");
        }
        try (JsonLinesLogSink sink = JsonLinesLogSink.toFile(file)) {
            SinkTesting.invocation(sink).log(Stage.RECEIVED, "two");
        }
        assertThat(Files.readAllLines(file)).hasSize(2);
    }

    @Test
    void concurrentCallersNeverInterleaveLines() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (JsonLinesLogSink sink = JsonLinesLogSink.to(out)) {
            InvocationLog log = SinkTesting.invocation(sink);
            for (int t = 0; t < 4; t++) {
                int thread = t;
                pool.submit(() -> {
                    for (int i = 0; i < 250; i++) {
                        log.log(Stage.DELIVERED, "thread " + thread + " entry " + i);
                    }
                });
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        List<String> lines = new ArrayList<>(List.of(out.toString(StandardCharsets.UTF_8).split("\n")));
        assertThat(lines).hasSize(1_000);
        for (String line : lines) {
            assertThat(JSON.readTree(line).path("Stage").asText()).isEqualTo("delivered");
        }
    }

    @Test
    void aFailingWriteDropsTheEntryCountsItAndNeverThrows() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }
        };
        JsonLinesLogSink sink = JsonLinesLogSink.to(broken);

        SinkTesting.invocation(sink).log(Stage.RECEIVED, "lost");
        sink.close();

        assertThat(sink.dropped()).isEqualTo(1);
        assertThat(sink.offer(null)).isFalse();
    }

    @Test
    void theInMemorySinkKeepsTheLastEntriesForTests() {
        InMemoryLogSink sink = new InMemoryLogSink(2);
        InvocationLog log = SinkTesting.invocation(sink);
        log.log(Stage.RECEIVED, "a");
        log.log(Stage.PUBLISHED, "b");
        log.log(Stage.STORED, "c");

        assertThat(sink.entries()).extracting(e -> e.message()).containsExactly("b", "c");
        assertThat(sink.entries(e -> e.stage() == Stage.STORED)).hasSize(1);
    }
}
