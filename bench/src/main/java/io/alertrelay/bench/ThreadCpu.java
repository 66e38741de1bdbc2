package io.alertrelay.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * CPU time of every live thread, grouped by what the thread works for (its name decides), and the whole process's:
 * take one {@link #snapshot()} before a phase and one after, and {@link Snapshot#minus} gives each group's CPU in the
 * phase. CPU time, not wall time, so other processes on the machine barely disturb it. Threads that end during a
 * phase take their CPU with them; that and the JVM's own work (GC, JIT, invisible to ThreadMXBean) is what the process
 * figure holds beyond the sum of the groups.
 */
final class ThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Function<String, String> groupOfName;

    ThreadCpu(Function<String, String> groupOfName) {
        if (!THREADS.isThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure per-thread CPU time");
        }
        THREADS.setThreadCpuTimeEnabled(true);
        this.groupOfName = groupOfName;
    }

    /** CPU nanoseconds of the calling thread so far. */
    static long currentThreadNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }

    Snapshot snapshot() {
        Map<Long, Long> cpu = new HashMap<>();
        Map<Long, String> group = new HashMap<>();
        long[] ids = THREADS.getAllThreadIds();
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            long nanos = THREADS.getThreadCpuTime(ids[i]);
            if (infos[i] != null && nanos >= 0) {
                cpu.put(ids[i], nanos);
                group.put(ids[i], groupOfName.apply(infos[i].getThreadName()));
            }
        }
        return new Snapshot(cpu, group, processNanos());
    }

    private static long processNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    /** Per-thread CPU at one moment. */
    record Snapshot(Map<Long, Long> cpu, Map<Long, String> group, long processNanos) {

        /** CPU nanoseconds per group between {@code earlier} and this (threads new since then count from zero). */
        Phase minus(Snapshot earlier) {
            Map<String, Long> byGroup = new TreeMap<>();
            cpu.forEach((id, nanos) -> byGroup.merge(group.get(id), nanos - earlier.cpu.getOrDefault(id, 0L),
                    Long::sum));
            return new Phase(byGroup, processNanos - earlier.processNanos);
        }
    }

    /** What one phase cost, per group, and the process as a whole. */
    record Phase(Map<String, Long> byGroup, long processNanos) {

        long group(String name) {
            return byGroup.getOrDefault(name, 0L);
        }

        long threads() {
            return byGroup.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
