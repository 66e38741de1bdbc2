package io.alertrelay.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Microsoft's published Azure Monitor payloads in ../shared/fixtures/azure-monitor, read verbatim. */
public final class Fixtures {

    private Fixtures() {
    }

    public static Path directory() {
        String configured = System.getProperty("alertrelay.fixtures");
        if (configured != null && Files.isDirectory(Path.of(configured))) {
            return Path.of(configured);
        }
        // Run from an IDE: walk up to the checkout that has ../shared beside it.
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolveSibling("shared").resolve("fixtures").resolve("azure-monitor");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("fixtures not found: set -Dalertrelay.fixtures or put ../shared beside the checkout");
    }

    public static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(directory().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
