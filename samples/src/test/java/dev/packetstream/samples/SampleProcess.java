package dev.packetstream.samples;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A sample running as a child JVM (on the test class path), as a user runs it: its output goes to
 * a file, its page URL is read from what it prints, and {@link #terminate} sends SIGTERM as
 * {@code kill} (or Ctrl-C's SIGINT) would.
 */
final class SampleProcess implements AutoCloseable {
    private static final String URL_MARKER = "open this page in a browser:";

    private final Process process;
    private final Path log;

    SampleProcess(Path workDir, String... args) throws IOException {
        this(workDir, System.getProperty("java.class.path"), List.of(args));
    }

    /** A sample from another build: {@code classpath} (e.g. the baseline a measurement compares with). */
    static SampleProcess onClassPath(Path workDir, String classpath, String... args) throws IOException {
        return new SampleProcess(workDir, classpath, List.of(args));
    }

    private SampleProcess(Path workDir, String classpath, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", classpath, "dev.packetstream.samples.Samples"));
        command.addAll(args);
        this.log = workDir.resolve("sample-output.txt");
        this.process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
    }

    /** The page the sample printed, polled from its output until {@code timeout}. */
    URI page(Duration timeout) {
        try {
            Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100))
                    .until(() -> printedPage() != null || !process.isAlive());
        } catch (ConditionTimeoutException e) {
            // reported below
        }
        URI page = printedPage();
        if (page == null) {
            throw new AssertionError("the sample printed no page URL within " + timeout + "; its output:\n" + output());
        }
        return page;
    }

    private URI printedPage() {
        for (String line : output().lines().toList()) {
            int i = line.indexOf(URL_MARKER);
            if (i >= 0) {
                return URI.create(line.substring(i + URL_MARKER.length()).trim());
            }
        }
        return null;
    }

    /** Sends SIGTERM and waits for the exit; returns the exit code. */
    int terminate(Duration timeout) throws InterruptedException {
        process.destroy(); // SIGTERM on Linux
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the sample did not exit within " + timeout + " of SIGTERM; its output:\n" + output()
                    + "\nits threads:\n" + threadDump());
        }
        return process.exitValue();
    }

    private String threadDump() {
        try {
            Process j = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jstack").toString(),
                    String.valueOf(process.pid())).redirectErrorStream(true).start();
            String dump = new String(j.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            j.waitFor(20, TimeUnit.SECONDS);
            return dump;
        } catch (IOException e) {
            return "(jstack failed: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    long pid() {
        return process.pid();
    }

    String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
