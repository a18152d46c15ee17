package dev.packetstream.webrtc.encoded;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a main class of the test classpath in a fresh JVM and reports its exit and output. */
final class ChildJvm {
    record Result(boolean exited, int code, String output) {
    }

    private ChildJvm() {
    }

    static Result run(Class<?> main, List<String> jvmArgs, Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> launch = new ArrayList<>(jvmArgs);
        launch.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        return launch(launch, env, timeoutSeconds);
    }

    /**
     * Runs {@code main} (a class of the test class path, outside the module's package) on the class
     * path {@code classPath} with the module {@code module} on the module path {@code modulePath}.
     */
    static Result runWithModule(Class<?> main, String modulePath, String module, String classPath, long timeoutSeconds)
            throws IOException, InterruptedException {
        return launch(List.of("--module-path", modulePath, "--add-modules", module, "-cp", classPath, main.getName()),
                Map.of(), timeoutSeconds);
    }

    private static Result launch(List<String> launch, Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Dpacketstream.checked=true");
        cmd.addAll(launch);
        File out = Files.createTempFile("child-jvm", ".txt").toFile();
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out);
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean exited = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!exited) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(out.toPath(), StandardCharsets.UTF_8);
        out.delete();
        return new Result(exited, exited ? p.exitValue() : -1, output);
    }
}
