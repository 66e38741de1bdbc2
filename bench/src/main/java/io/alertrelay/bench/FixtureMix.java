package io.alertrelay.bench;

import io.alertrelay.domain.schema.AlertNormaliser;
import io.alertrelay.domain.PlatformEvent;
import io.alertrelay.domain.PlatformEventCodec;
import io.alertrelay.domain.AlertMessages;
import io.alertrelay.domain.AlertMessage;
import io.alertrelay.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

    /** {@code total} bus messages cycling through the mix, each round under a new tenant so every MessageId differs. */
    static List<AlertMessage> messages(int total) {
        return messages(total, "bench");
    }

    /** As {@link #messages(int)}, under tenants {@code tenantPrefix-0}, {@code tenantPrefix-1}, … */
    static List<AlertMessage> messages(int total, String tenantPrefix) {
        AlertNormaliser normaliser = new AlertNormaliser();
        List<byte[]> bodies = bodies();
        List<AlertMessage> out = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            PlatformEvent event = normaliser.normalise(tenantPrefix + "-" + (i / bodies.size()), bodies.get(i % bodies.size()));
            out.add(AlertMessages.of(event, PlatformEventCodec.toJson(event), false));
        }
        return out;
    }
}
