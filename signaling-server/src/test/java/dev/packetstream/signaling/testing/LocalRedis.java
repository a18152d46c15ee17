package dev.packetstream.signaling.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} (Debian's {@code /usr/bin/redis-server}) on a free loopback port,
 * without persistence, for tests. {@link #restart()} stops it and starts a new one, empty, on the
 * same port: what a server sees when Redis restarts.
 *
 * <pre>{@code
 * try (LocalRedis redis = LocalRedis.start()) {
 *     SignalingServer a = SignalingServer.builder().redis(redis.uri()).build().start();
 *     ...
 * }
 * }</pre>
 *
 * <h2>Missing Redis</h2>
 * {@link #start()} skips the test with the install command; when the environment variable
 * {@code CI} is {@code true} it fails instead. The path can be changed with the system property
 * {@code packetstream.redis-server}.
 *
 * <h2>Ownership</h2>
 * The instance owns the process and its working directory; {@link #close()} stops it (SIGTERM,
 * then SIGKILL after 5 s) and deletes the directory. Not thread-safe.
 */
public final class LocalRedis implements AutoCloseable {
    /** What to run when Redis is missing. */
    public static final String INSTALL_HINT = "apt-get install redis-server";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);

    private final Path dir;
    private final int port;
    private Process process;

    private LocalRedis(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Starts a Redis on a free loopback port; skips (or fails on CI) when redis-server is missing. */
    public static LocalRedis start() {
        Path binary = Path.of(System.getProperty("packetstream.redis-server", "/usr/bin/redis-server"));
        if (!Files.isExecutable(binary)) {
            String message = "redis-server is missing (" + binary + "): run `" + INSTALL_HINT
                    + "` (the CI script .ci/run installs it)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("CI=true and " + message);
            }
            Assumptions.abort(message);
        }
        try {
            LocalRedis redis = new LocalRedis(Files.createTempDirectory("packetstream-redis-"), freePort());
            redis.launch();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start redis-server", e);
        }
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public URI uri() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** Stops the process (its data is gone: no persistence). */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Stops it and starts an empty one on the same port. */
    public void restart() {
        stop();
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException("could not restart redis-server on port " + port, e);
        }
    }

    /** Sends a command with {@code redis-cli}-free RESP over a socket; returns the first reply line. */
    public String command(String... words) {
        StringBuilder resp = new StringBuilder("*").append(words.length).append("\r\n");
        for (String word : words) {
            byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
            resp.append('$').append(bytes.length).append("\r\n").append(word).append("\r\n");
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            socket.setSoTimeout(2_000);
            socket.getOutputStream().write(resp.toString().getBytes(StandardCharsets.UTF_8));
            StringBuilder line = new StringBuilder();
            for (int c; (c = socket.getInputStream().read()) != -1 && c != '\n'; ) {
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("Redis on port " + port + " did not answer " + words[0], e);
        }
    }

    private void launch() throws IOException {
        Path log = dir.resolve("redis.log");
        process = new ProcessBuilder(List.of(
                System.getProperty("packetstream.redis-server", "/usr/bin/redis-server"),
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", dir.toString(), "--logfile", log.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.txt").toFile()).start();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited with " + process.exitValue() + ": "
                        + (Files.exists(log) ? Files.readString(log) : ""));
            }
            try {
                if ("+PONG".equals(command("PING"))) {
                    return;
                }
            } catch (UncheckedIOException notYet) {
                // not listening yet
            }
            try {
                process.waitFor(20, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for redis-server", e);
            }
        }
        stop();
        throw new IOException("redis-server did not answer PING on port " + port + " within " + READY_TIMEOUT);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        stop();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
