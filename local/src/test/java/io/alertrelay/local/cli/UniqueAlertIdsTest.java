package io.alertrelay.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.domain.schema.AlertNormaliser;
import io.alertrelay.domain.InvalidNotificationException;
import io.alertrelay.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** send --unique: every schema Azure sends becomes a new event each time, and stays the same kind of event. */
class UniqueAlertIdsTest {

    private final AlertNormaliser normaliser = new AlertNormaliser();

    static Stream<Path> fixtures() throws IOException {
        try (Stream<Path> files = Files.list(Fixtures.directory())) {
            List<Path> list = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
            return list.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void eachUniqueCopyOfAFixtureIsANewEventOfTheSameTypeAndSchema(Path fixture) throws IOException {
        byte[] original = Files.readAllBytes(fixture);
        UniqueAlertIds unique = new UniqueAlertIds("run1");
        io.alertrelay.domain.PlatformEvent plain;
        try {
            plain = normaliser.normalise("contoso", original);
        } catch (InvalidNotificationException notJson) {
            assertThat(unique.apply(original)).as("posted as it is, so its 400 still shows").isEqualTo(original);
            return;
        }

        Set<String> ids = new HashSet<>();
        ids.add(plain.id());
        for (int i = 0; i < 3; i++) {
            io.alertrelay.domain.PlatformEvent copy = normaliser.normalise("contoso", unique.apply(original));
            assertThat(copy.type()).isEqualTo(plain.type());
            assertThat(copy.data().schema()).isEqualTo(plain.data().schema());
            ids.add(copy.id());
        }
        assertThat(ids).as("the plain event and three unique copies").hasSize(4);
    }

    @Test
    void twoRunsNeverMakeTheSameAlertId() {
        byte[] sample = io.alertrelay.local.load.Notifications.bundledSample();

        String first = normaliser.normalise("contoso", new UniqueAlertIds("run1").apply(sample)).id();
        String second = normaliser.normalise("contoso", new UniqueAlertIds("run2").apply(sample)).id();

        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void theCommonSchemasAlertIdGetsASuffixAndNothingElseChanges() {
        byte[] sample = io.alertrelay.local.load.Notifications.bundledSample();
        String text = new String(new UniqueAlertIds("run1").apply(sample), StandardCharsets.UTF_8);

        assertThat(text).contains("/alerts/11111111-2222-3333-4444-555555555555-run1-1\"")
                .doesNotContain(UniqueAlertIds.FIELD);
    }
}
