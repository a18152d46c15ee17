package dev.packetstream.signaling;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A standalone server ({@link SignalingServerMain}) in a child JVM, for tests that kill it. */
final class ChildServer {
    private static final Map<Process, Integer> PORTS = new ConcurrentHashMap<>();

    private ChildServer() {
    }

    static Process start(URI redis, Duration presence) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(List.of(java.toString(), "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), SignalingServerMain.class.getName(),
                "--port", "0", "--redis", redis.toString(), "--redis-presence-ms", Long.toString(presence.toMillis())))
                .redirectErrorStream(true).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.startsWith("LISTENING port=")) {
                        port.complete(Integer.parseInt(line.substring("LISTENING port=".length()).split(" ")[0]));
                    }
                }
                port.completeExceptionally(new IllegalStateException("the child server exited before listening"));
            } catch (Exception e) {
                port.completeExceptionally(e);
            }
        }, "child-server-output");
        reader.setDaemon(true);
        reader.start();
        try {
            PORTS.put(process, port.get(30, TimeUnit.SECONDS));
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
        return process;
    }

    static URI uri(Process process) {
        return URI.create("ws://127.0.0.1:" + PORTS.get(process) + SignalingServer.WEBSOCKET_PATH);
    }
}
