package dev.packetstream.signaling.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packetstream.signaling.SignalingServerMain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The server of a load run in a child JVM running {@link SignalingServerMain}, with its figures. */
final class ServerProcess {
    final Process process;
    final int port;
    final URI uri;
    final URI health;
    final String heap;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final ObjectMapper json = new ObjectMapper();

    private ServerProcess(Process process, int port, String heap) {
        this.process = process;
        this.port = port;
        this.heap = heap;
        this.uri = URI.create("ws://127.0.0.1:" + port + "/ws");
        this.health = URI.create("http://127.0.0.1:" + port + "/health");
    }

    /** Starts the server with this maximum heap (e.g. {@code 512m}) and these options. */
    static ServerProcess start(String heap, String... options) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx" + heap, "-Xms64m",
                "-XX:+ExitOnOutOfMemoryError", "-Dorg.slf4j.simpleLogger.log.org.eclipse.jetty=warn",
                "-cp", System.getProperty("java.class.path"), SignalingServerMain.class.getName(), "--port", "0"));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("LISTENING port=")) {
                        port.complete(Integer.parseInt(line.substring("LISTENING port=".length()).split(" ")[0]));
                    }
                }
            } catch (Exception e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IllegalStateException("server exited before listening"));
        }, "server-stdout");
        reader.setDaemon(true);
        reader.start();
        return new ServerProcess(process, port.get(30, TimeUnit.SECONDS), heap);
    }

    JsonNode health() throws Exception {
        return json.readTree(http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    long rssKiB() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** utime and stime of the server process in ms (Linux /proc, 100 ticks per second). */
    long[] cpuMillis() throws Exception {
        String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(fields[11]) * 10, Long.parseLong(fields[12]) * 10};
    }

    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
