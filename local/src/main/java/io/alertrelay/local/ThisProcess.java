package io.alertrelay.local;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/** What the runtime's status and the load command report about this JVM: its CPU time and its compilers. */
public final class ThisProcess {

    private ThisProcess() {
    }

    /** Seconds of CPU, user and system, all threads; empty on a JVM whose management bean does not give it. */
    public static OptionalDouble cpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return OptionalDouble.of(os.getProcessCpuTime() / 1e9);
        }
        return OptionalDouble.empty();
    }

    /**
     * The highest tier the JIT compiles to: 1 (C1 only) when the JVM was started as the Azure Functions Java worker
     * starts it (the launcher does), 4 (C2) by HotSpot's default; empty on a JVM that is not HotSpot.
     */
    public static OptionalInt tieredStopAtLevel() {
        HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        if (hotSpot == null) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(hotSpot.getVMOption("TieredStopAtLevel").getValue()));
        } catch (IllegalArgumentException e) {
            return OptionalInt.empty();
        }
    }
}
