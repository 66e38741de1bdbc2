package io.alertrelay.bench;

import io.alertrelay.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Every valid full notification among Microsoft's published fixtures: the mix the benchmarks cycle through. */
final class FixtureMix {

    private FixtureMix() {
    }

    static List<byte[]> bodies() {
        try (var files = Files.list(Fixtures.directory())) {
            return files.map(Path::getFileName).map(Path::toString)
                    .filter(n -> n.endsWith(".json") && !n.startsWith("cs-ctx-"))
                    .filter(n -> !n.equals("legacy-activitylog-common-skeleton.json")) // invalid JSON as published
                    .sorted().map(Fixtures::bytes).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
