package io.alertrelay.local.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The load report's CPU line: what each process spent on a phase, per alert and per no-op request. */
class CpuReportTest {

    @Test
    void eachPhaseGetsWhatBothProcessesSpentBetweenItsReadings() {
        CpuClock.Reading before = new CpuClock.Reading(10.0, OptionalDouble.of(100.0));
        CpuClock.Reading afterPipeline = new CpuClock.Reading(25.0, OptionalDouble.of(140.0));
        CpuClock.Reading afterNoop = new CpuClock.Reading(28.0, OptionalDouble.of(142.0));

        String line = print(afterPipeline.since(before), 20_000, afterNoop.since(afterPipeline), 20_000);

        assertThat(line).contains("pipeline run: pipeline process 40.0 s = 2.00 ms per alert, load generator 15.0 s")
                .contains("noop run: pipeline process 2.0 s = 0.10 ms per request, load generator 3.0 s");
    }

    @Test
    void aPipelineThatDoesNotGiveItsCpuIsReportedAsUnknownNotAsZero() {
        CpuClock.Reading before = new CpuClock.Reading(1.0, OptionalDouble.empty());
        CpuClock.Reading after = new CpuClock.Reading(2.0, OptionalDouble.of(5.0));

        String line = print(after.since(before), 10, after.since(after), 10);

        assertThat(line).contains("pipeline run: pipeline process unknown (its /status.json gives no process.cpuSeconds)")
                .contains("noop run: pipeline process 0.0 s = 0.00 ms per request");
    }

    private static String print(CpuClock.Reading pipeline, int delivered, CpuClock.Reading noop, int accepted) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LoadReport.printCpu(new PrintStream(bytes, true, StandardCharsets.UTF_8), pipeline, delivered, noop, accepted);
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
