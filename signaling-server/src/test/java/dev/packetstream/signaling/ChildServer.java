package dev.packetstream.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link SignalingServerMain} in a child JVM, so that its heap is its own (and small) and its death
 * cannot take the test JVM along. Its output lines are kept for assertions.
 */
public final class ChildServer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final List<String> output;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();

    private ChildServer(Process process, int port, List<String> output) {
        this.process = process;
        this.port = port;
        this.output = output;
    }

    /**
     * Starts the server on the test's class path with these JVM options (e.g. {@code -Xmx64m}) and
     * server arguments.
     */
    public static ChildServer start(List<String> jvmOptions, String... args) throws Exception {
        List<String> launch = new ArrayList<>(jvmOptions);
        launch.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        launch.addAll(List.of("-cp", System.getProperty("java.class.path"), SignalingServerMain.class.getName()));
        return launch(launch, args);
    }

    /**
     * Starts the server on the module path, as {@code java -p modulePath -m
     * dev.packetstream.signaling/...SignalingServerMain}: no class path at all, so Jetty's, Jackson's
     * and the server's module descriptors decide what can be reached.
     */
    public static ChildServer startOnModulePath(String modulePath, String... args) throws Exception {
        List<String> launch = List.of("--module-path", modulePath,
                "--module", "dev.packetstream.signaling/" + SignalingServerMain.class.getName());
        return launch(launch, args);
    }

    private static ChildServer launch(List<String> launch, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(launch);
        command.addAll(List.of("--port", "0"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    output.add(line);
                    if (line.startsWith("LISTENING port=")) {
                        port.complete(Integer.parseInt(line.substring("LISTENING port=".length()).split(" ")[0]));
                    }
                }
            } catch (Exception e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IllegalStateException("server exited before listening: " + output));
        }, "child-server-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new ChildServer(process, port.get(30, TimeUnit.SECONDS), output);
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    public URI webSocketUri() {
        return URI.create("ws://127.0.0.1:" + port + "/ws");
    }

    /** {@code GET /health} within 2 s; throws if it does not answer. */
    public JsonNode health() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("/health answered " + response.statusCode());
        }
        return json.readTree(response.body());
    }

    /** {@code GET path} within 2 s. */
    public HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit status if the process ends within {@code timeout}, else null. */
    public Integer exitWithin(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    public List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    /** Kills the process at once (SIGKILL): no shutdown hook, no goodbye to anyone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
