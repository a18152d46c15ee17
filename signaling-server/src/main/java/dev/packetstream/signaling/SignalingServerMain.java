package dev.packetstream.signaling;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The standalone server:
 *
 * <pre>
 * java -cp ... dev.packetstream.signaling.SignalingServerMain [--port 8080] [--bind 127.0.0.1]
 *     [--allowed-origins https://a.example,https://b.example]
 *     [--token-secret-file secret.txt | env PACKETSTREAM_TOKEN_SECRET]
 *     [--keystore server.p12 --keystore-password-env KEYSTORE_PASSWORD]
 *     [--max-message-bytes 65536] [--max-messages-per-second 50] [--max-peers-per-room 16]
 *     [--max-rooms 1000] [--idle-timeout-seconds 60] [--max-pending-per-peer 1024]
 *     [--max-pending-bytes-per-peer 1048576] [--max-buffered-bytes (a quarter of -Xmx)]
 *     [--max-connections 10000] [--max-connections-per-address 64] [--max-rooms-per-address 16]
 *     [--request-header-timeout-seconds 10] [--write-timeout-seconds 30]
 *     [--redis redis://127.0.0.1:6379 [--redis-presence-ms 5000]]
 * java -cp ... dev.packetstream.signaling.SignalingServerMain issue-token ROOM ROLE TTL_SECONDS
 * </pre>
 *
 * It prints {@code LISTENING port=<port>} once it serves, and stops on SIGTERM / Ctrl-C. Run it with
 * {@code -XX:+ExitOnOutOfMemoryError} (it warns when the flag is off): the server also halts itself
 * after an OutOfMemoryError in its own threads, the flag covers every thread.
 * Secrets are read from a file or an environment variable, not the command line (which other
 * users of the machine can see); {@code --token-secret} exists for development.
 */
public final class SignalingServerMain {
    /** Environment variable holding the token secret (when no --token-secret-file is given). */
    public static final String SECRET_ENV = "PACKETSTREAM_TOKEN_SECRET";

    private SignalingServerMain() {
    }

    public static void main(String[] args) throws Exception {
        try {
            if (args.length > 0 && args[0].equals("issue-token")) {
                issueToken(args, System.out);
                return;
            }
            SignalingServer server = parse(args).build();
            warnWithoutExitOnOutOfMemory();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "signaling-server-shutdown"));
            server.start();
            System.out.println("LISTENING port=" + server.port() + " pages=" + server.httpUri()
                    + " websocket=" + server.webSocketUri());
            System.out.flush();
            stopped.await();
        } catch (IllegalArgumentException e) {
            System.err.println("signaling-server: " + e.getMessage());
            System.err.println("usage: see the javadoc of SignalingServerMain or signaling-server/README.md");
            System.exit(2);
        } catch (SignalingServerException e) {
            System.err.println("signaling-server: " + e.getMessage());
            System.exit(1);
        }
    }

    /** The builder the arguments describe (also used by tests). */
    public static SignalingServer.Builder parse(String[] args) throws java.io.IOException {
        SignalingServer.Builder builder = SignalingServer.builder().port(8080);
        SignalingLimits limits = SignalingLimits.defaults();
        String secret = System.getenv(SECRET_ENV);
        Path keyStore = null;
        String keyStorePassword = null;
        Map<String, String> limitOptions = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + name + " needs a value");
            }
            String value = args[++i];
            switch (name) {
                case "--port" -> builder.port(integer(name, value));
                case "--bind" -> builder.bindAddress(value);
                case "--allowed-origins" -> {
                    for (String origin : value.split(",")) {
                        if (!origin.isBlank()) {
                            builder.allowOrigin(origin.trim());
                        }
                    }
                }
                case "--token-secret" -> secret = value;
                case "--token-secret-file" -> secret = Files.readString(Path.of(value), StandardCharsets.UTF_8).trim();
                case "--keystore" -> keyStore = Path.of(value);
                case "--keystore-password" -> keyStorePassword = value;
                case "--keystore-password-env" -> {
                    keyStorePassword = System.getenv(value);
                    if (keyStorePassword == null) {
                        throw new IllegalArgumentException("environment variable " + value + " (keystore password) is not set");
                    }
                }
                case "--redis" -> builder.redis(redisUri(value));
                case "--redis-presence-ms" -> builder.redisPresence(Duration.ofMillis(integer(name, value)));
                case "--max-message-bytes", "--max-messages-per-second", "--max-peers-per-room", "--max-rooms",
                        "--idle-timeout-seconds", "--max-pending-per-peer", "--max-pending-bytes-per-peer",
                        "--max-buffered-bytes", "--max-connections", "--max-connections-per-address",
                        "--max-rooms-per-address", "--request-header-timeout-seconds", "--write-timeout-seconds" ->
                        limitOptions.put(name, value);
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        // Limits that bound each other are applied largest first, whatever the order given.
        for (String first : List.of("--max-buffered-bytes", "--max-message-bytes", "--max-pending-bytes-per-peer")) {
            if (limitOptions.containsKey(first)) {
                limits = limit(limits, first, limitOptions.remove(first));
            }
        }
        for (Map.Entry<String, String> option : limitOptions.entrySet()) {
            limits = limit(limits, option.getKey(), option.getValue());
        }
        builder.limits(limits);
        if (secret != null && !secret.isEmpty()) {
            builder.requireTokens(TokenIssuer.withSecret(secret));
        }
        if (keyStore != null) {
            if (keyStorePassword == null) {
                throw new IllegalArgumentException("--keystore needs --keystore-password-env (or --keystore-password)");
            }
            builder.tls(keyStore, keyStorePassword);
        }
        return builder;
    }

    private static void issueToken(String[] args, PrintStream out) {
        String secret = System.getenv(SECRET_ENV);
        if (args.length != 4 || secret == null) {
            throw new IllegalArgumentException("issue-token ROOM ROLE TTL_SECONDS, with the secret in " + SECRET_ENV);
        }
        out.println(TokenIssuer.withSecret(secret).issue(args[1], args[2], Duration.ofSeconds(integer("TTL", args[3]))));
    }

    private static java.net.URI redisUri(String value) {
        try {
            return new java.net.URI(value);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("--redis needs redis://host:port, got \"" + value + "\"");
        }
    }

    private static SignalingLimits limit(SignalingLimits limits, String name, String value) {
        return switch (name) {
            case "--max-message-bytes" -> limits.withMaxMessageBytes(integer(name, value));
            case "--max-messages-per-second" -> limits.withMaxMessagesPerSecond(integer(name, value));
            case "--max-peers-per-room" -> limits.withMaxPeersPerRoom(integer(name, value));
            case "--max-rooms" -> limits.withMaxRooms(integer(name, value));
            case "--idle-timeout-seconds" -> limits.withIdleTimeout(Duration.ofSeconds(integer(name, value)));
            case "--max-pending-per-peer" -> limits.withMaxPendingPerPeer(integer(name, value));
            case "--max-pending-bytes-per-peer" -> limits.withMaxPendingBytesPerPeer(longValue(name, value));
            case "--max-buffered-bytes" -> limits.withMaxBufferedBytes(longValue(name, value));
            case "--max-connections" -> limits.withMaxConnections(integer(name, value));
            case "--max-connections-per-address" -> limits.withMaxConnectionsPerAddress(integer(name, value));
            case "--max-rooms-per-address" -> limits.withMaxRoomsPerAddress(integer(name, value));
            case "--request-header-timeout-seconds" ->
                    limits.withRequestHeaderTimeout(Duration.ofSeconds(integer(name, value)));
            case "--write-timeout-seconds" -> limits.withWriteTimeout(Duration.ofSeconds(integer(name, value)));
            default -> throw new IllegalStateException("not a limit option: " + name);
        };
    }

    private static long longValue(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs an integer, got \"" + value + "\"");
        }
    }

    /** Warns when the JVM would survive an OutOfMemoryError outside the server's own threads. */
    private static void warnWithoutExitOnOutOfMemory() {
        try {
            com.sun.management.HotSpotDiagnosticMXBean vm = java.lang.management.ManagementFactory
                    .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            if (vm != null && !Boolean.parseBoolean(vm.getVMOption("ExitOnOutOfMemoryError").getValue())) {
                System.err.println("signaling-server: warning: the JVM runs without -XX:+ExitOnOutOfMemoryError;"
                        + " add it so that an OutOfMemoryError in any thread ends the process");
            }
        } catch (RuntimeException e) {
            // not a HotSpot JVM: nothing to check
        }
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs an integer, got \"" + value + "\"");
        }
    }
}
