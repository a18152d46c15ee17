package dev.packetstream.samples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time of a process (all its threads) from {@code /proc/<pid>/stat}, in cores used over an interval. */
final class CpuMeter {
    private static final double TICKS_PER_SECOND = 100.0; // Linux USER_HZ

    private final long pid;
    private long startTicks;
    private long startNanos;

    CpuMeter(long pid) {
        this.pid = pid;
    }

    void start() throws IOException {
        startTicks = ticks();
        startNanos = System.nanoTime();
    }

    /** Cores used since {@link #start()} (1.0 = one core busy all the time). */
    double cores() throws IOException {
        double cpuSeconds = (ticks() - startTicks) / TICKS_PER_SECOND;
        double wallSeconds = (System.nanoTime() - startNanos) / 1e9;
        return cpuSeconds / wallSeconds;
    }

    private long ticks() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }
}
