package io.alertrelay.local;

import java.lang.management.ManagementFactory;
import java.util.OptionalDouble;

/** The CPU time this JVM has used so far, all threads: what the runtime's status and the load command report. */
public final class ProcessCpu {

    private ProcessCpu() {
    }

    /** Seconds of CPU, user and system; empty on a JVM whose management bean does not give it. */
    public static OptionalDouble seconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return OptionalDouble.of(os.getProcessCpuTime() / 1e9);
        }
        return OptionalDouble.empty();
    }
}
