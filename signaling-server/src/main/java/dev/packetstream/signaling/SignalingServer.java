package dev.packetstream.signaling;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packetstream.signaling.internal.AddressQuota;
import dev.packetstream.signaling.internal.ConnectionSweeper;
import dev.packetstream.signaling.internal.ConnectorSetup;
import dev.packetstream.signaling.internal.Counters;
import dev.packetstream.signaling.internal.FatalErrors;
import dev.packetstream.signaling.internal.HealthHandler;
import dev.packetstream.signaling.internal.HttpConnectionGuard;
import dev.packetstream.signaling.internal.MemoryBudget;
import dev.packetstream.signaling.internal.MessageValidator;
import dev.packetstream.signaling.internal.OriginPolicy;
import dev.packetstream.signaling.internal.Pages;
import dev.packetstream.signaling.internal.RedisRooms;
import dev.packetstream.signaling.internal.RequestGate;
import dev.packetstream.signaling.internal.RoomRegistry;
import dev.packetstream.signaling.internal.Rooms;
import dev.packetstream.signaling.internal.ServerContext;
import dev.packetstream.signaling.internal.ServerMessages;
import dev.packetstream.signaling.internal.SignalingEndpoint;
import dev.packetstream.signaling.websocket.ServerSocketListener;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signaling server: a Jetty 12 server with the WebSocket endpoint {@value #WEBSOCKET_PATH},
 * {@code GET /health}, and the browser pages (publisher, viewer, recorder) from this module's folder
 * {@code dev/packetstream/signaling/web/} (on the class path or the module path alike).
 *
 * <pre>{@code
 * try (SignalingServer server = SignalingServer.builder().port(0).build().start()) {
 *     URI ws = server.webSocketUri();   // ws://127.0.0.1:<port>/ws
 *     ...
 * }
 * }</pre>
 *
 * <h2>Lifecycle and threads</h2>
 * {@link #start()} once, then {@link #close()} (idempotent): it closes every connection (status
 * 1001) and stops Jetty's threads, so that the JVM can exit. The server owns a Jetty thread pool
 * named {@code signaling-server-*}; connections are served there. {@link #figures()} and
 * {@link #port()} may be called from any thread. A timer thread ({@code signaling-server-timer})
 * enforces the idle, write and request-header timeouts.
 *
 * <h2>Fatal errors</h2>
 * An {@link OutOfMemoryError} (any {@link VirtualMachineError}) in one of the server's threads or
 * connections goes to the fatal-error handler, by default {@code Runtime.halt(3)}: a server whose
 * acceptor or selector may have died must not go on looking alive (see
 * {@link Builder#onFatalError}). Its own limits keep it from running out of memory in the first
 * place; embedders should also run the JVM with {@code -XX:+ExitOnOutOfMemoryError}, which covers
 * every thread of the process.
 */
public final class SignalingServer implements AutoCloseable {
    /** The path of the WebSocket endpoint. */
    public static final String WEBSOCKET_PATH = "/ws";

    private static final Logger LOG = LoggerFactory.getLogger(SignalingServer.class);

    private final Builder config;
    /** TCP connections one address may have beyond its WebSocket limit (pages, /health). */
    private static final int HTTP_HEADROOM = 16;

    private final Counters counters = new Counters();
    private final Rooms registry;
    private final MemoryBudget inbound;
    private final MemoryBudget outbound;
    private final ConnectionSweeper sweeper;
    private final Server jetty;
    private final ServerConnector connector;
    private final boolean secure;
    private volatile boolean started;
    private volatile boolean closed;

    private SignalingServer(Builder config) {
        this.config = config;
        SignalingLimits limits = config.limits;
        ObjectMapper json = new ObjectMapper();
        ServerMessages messages = new ServerMessages(json);
        this.registry = config.redis == null ? new RoomRegistry(limits, messages)
                : new RedisRooms(config.redis, config.redisPresence, limits, messages, counters);
        // Half for unfinished incoming messages, half for queued outgoing ones: neither kind of
        // attacker can take the other half.
        this.inbound = new MemoryBudget(limits.maxBufferedBytes() / 2);
        this.outbound = new MemoryBudget(limits.maxBufferedBytes() - limits.maxBufferedBytes() / 2);
        AddressQuota quota = new AddressQuota(limits.maxConnections(), limits.maxConnectionsPerAddress(),
                limits.maxRoomsPerAddress());
        FatalErrors fatal = new FatalErrors(config.fatalErrorHandler);
        Set<SignalingEndpoint> endpoints = ConcurrentHashMap.newKeySet();
        ServerContext context = new ServerContext(limits, new MessageValidator(), messages, registry,
                counters, config.tokens, inbound, outbound, quota, fatal, endpoints);
        OriginPolicy origins = new OriginPolicy(config.allowedOrigins, config.bindAddress);
        HttpConnectionGuard guard = new HttpConnectionGuard(limits.maxConnectionsPerAddress() + HTTP_HEADROOM,
                limits.requestHeaderTimeout().toNanos(), counters);
        this.sweeper = new ConnectionSweeper(endpoints, guard, fatal, limits);

        QueuedThreadPool threads = fatal.threadPool(config.maxThreads, Math.min(4, config.maxThreads));
        threads.setName("signaling-server");
        this.jetty = new Server(threads);
        jetty.setStopTimeout(2_000);

        this.secure = config.keyStore != null;
        this.connector = ConnectorSetup.add(jetty, config.bindAddress, config.port, config.keyStore,
                config.keyStorePassword, guard, limits);

        ContextHandler root = new ContextHandler("/");
        WebSocketUpgradeHandler websocket = WebSocketUpgradeHandler.from(jetty, root, container -> {
            // Text and binary arrive fragment by fragment (partial listeners): the endpoint counts
            // and bounds what it keeps. Jetty's frame size only bounds each fragment it hands over.
            container.setMaxTextMessageSize(4L * limits.maxMessageBytes());
            container.setMaxBinaryMessageSize(4L * limits.maxMessageBytes());
            // Jetty's idle timeout is reset by what the server writes too: the endpoint's own, reset
            // only by what the peer sends, comes first; this one is a backstop.
            container.setIdleTimeout(limits.idleTimeout().plus(limits.writeTimeout()));
            container.addMapping(WEBSOCKET_PATH, (request, response, callback) -> {
                String refusal = origins.refusal(request.getHeaders().getValuesList(HttpHeader.ORIGIN), secure,
                        Request.getLocalPort(request));
                if (refusal != null) {
                    counters.rejected(ErrorCode.ORIGIN_NOT_ALLOWED);
                    Response.writeError(request, response, callback, 403, refusal);
                    return null;
                }
                SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
                InetAddress from = AddressQuota.addressOf(remote);
                String full = quota.refusal(from);
                if (full != null) {
                    counters.rejected(ErrorCode.TOO_MANY_CONNECTIONS);
                    Response.writeError(request, response, callback, quota.addressFull(from) ? 429 : 503, full);
                    return null;
                }
                guard.upgraded(remote);
                return new ServerSocketListener(new SignalingEndpoint(context));
            });
        });
        Handler.Sequence rest = new Handler.Sequence(new HealthHandler(this::figures, json));
        if (config.servePages) {
            rest.addHandler(Pages.handler(jetty));
        }
        websocket.setHandler(rest);
        root.setHandler(websocket);
        jetty.setHandler(new RequestGate(guard, WEBSOCKET_PATH, root));
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts listening.
     *
     * @return this server
     * @throws IllegalStateException if started before or closed
     * @throws SignalingServerException if Jetty cannot start (e.g. the port is in use)
     */
    public synchronized SignalingServer start() {
        if (closed) {
            throw new IllegalStateException("this SignalingServer was closed: build a new one");
        }
        if (started) {
            throw new IllegalStateException("this SignalingServer was already started: call start() once");
        }
        registry.start(); // throws naming Redis's address when it cannot be reached
        try {
            jetty.start();
            sweeper.start();
        } catch (Exception e) {
            sweeper.close();
            registry.close();
            try {
                jetty.stop();
            } catch (Exception ignored) {
                // the start failure is what matters
            }
            throw new SignalingServerException("signaling server could not start on " + config.bindAddress + ":"
                    + config.port + ": " + e.getMessage(), e);
        }
        started = true;
        LOG.info("signaling server listening on {}", httpUri());
        return this;
    }

    /**
     * The port the server listens on (the actual one when built with port 0).
     *
     * @throws IllegalStateException before {@link #start()}
     */
    public int port() {
        if (!started) {
            throw new IllegalStateException("the server has no port yet: call start() first");
        }
        return connector.getLocalPort();
    }

    /** {@code ws://host:port/ws} (or {@code wss://}) for clients. */
    public URI webSocketUri() {
        return URI.create((secure ? "wss://" : "ws://") + host() + ":" + port() + WEBSOCKET_PATH);
    }

    /** {@code http://host:port/} (or {@code https://}): the pages and {@code /health}. */
    public URI httpUri() {
        return URI.create((secure ? "https://" : "http://") + host() + ":" + port() + "/");
    }

    /** The figures {@code GET /health} returns. */
    public SignalingFigures figures() {
        Boolean cluster = registry.clusterConnected();
        return new SignalingFigures(registry.rooms(), registry.peers(), counters.connections.get(),
                counters.received.sum(), counters.relayed.sum(), counters.rejectedSnapshot(),
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), inbound.used() + outbound.used(),
                cluster == null ? null : cluster ? SignalingFigures.REDIS_CONNECTED : SignalingFigures.REDIS_DISCONNECTED);
    }

    /** Closes every connection and stops the server's threads. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        sweeper.close();
        try {
            jetty.stop();
        } catch (Exception e) {
            throw new SignalingServerException("signaling server did not stop cleanly: " + e.getMessage(), e);
        } finally {
            jetty.destroy();
            if (started) {
                registry.close(); // after the connections closed: their leaves reach the other servers
            }
        }
    }

    private String host() {
        String host = config.bindAddress;
        if (host.equals("0.0.0.0") || host.equals("::")) {
            return "127.0.0.1";
        }
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** Configures a {@link SignalingServer}; every setting has a safe default. */
    public static final class Builder {
        private int port = 0;
        private String bindAddress = "127.0.0.1";
        private final Set<String> allowedOrigins = new LinkedHashSet<>();
        private TokenIssuer tokens;
        private Path keyStore;
        private String keyStorePassword;
        private SignalingLimits limits = SignalingLimits.defaults();
        private boolean servePages = true;
        private int maxThreads = 64;
        private URI redis;
        private Duration redisPresence = Duration.ofSeconds(5);
        private Consumer<Error> fatalErrorHandler = FatalErrors.HALT;

        private Builder() {
        }

        /**
         * Shares rooms with the other servers using the same Redis ({@code redis://host:port[/db]},
         * with {@code redis://:password@host:port} if it needs one): peers of one room may connect
         * to different servers, and the limits hold for all of them together (a room of 4 is 4 in
         * total, {@code maxRooms} counts every server's rooms). Default: none, the server runs alone.
         * {@link SignalingServer#start()} fails, naming the address, when Redis cannot be reached.
         */
        public Builder redis(URI redis) {
            Objects.requireNonNull(redis, "redis");
            if (!"redis".equals(redis.getScheme()) || redis.getHost() == null) {
                throw new IllegalArgumentException("Redis address \"" + redis
                        + "\" is not redis://host:port (e.g. redis://127.0.0.1:6379)");
            }
            this.redis = redis;
            return this;
        }

        /**
         * With {@link #redis}: how long a server may stay silent before the others report its peers
         * as left (default 5 s; renewed every third of it). Shorter detects a dead server sooner,
         * and risks a server under a long pause being presumed dead (it then re-joins).
         */
        public Builder redisPresence(Duration presence) {
            Objects.requireNonNull(presence, "presence");
            if (presence.toMillis() < 300) {
                throw new IllegalArgumentException("redisPresence must be at least 300 ms, was " + presence);
            }
            this.redisPresence = presence;
            return this;
        }

        /** The port; 0 (the default) picks a free one, see {@link SignalingServer#port()}. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** The address to bind; default {@code 127.0.0.1} (loopback only). {@code 0.0.0.0} for all. */
        public Builder bindAddress(String bindAddress) {
            this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
            return this;
        }

        /**
         * Browser Origins allowed besides the server's own, as {@code scheme://host[:port]}; {@code *}
         * allows any. Connections without an Origin (non-browser clients) are always allowed.
         */
        public Builder allowOrigin(String origin) {
            Objects.requireNonNull(origin, "origin");
            if (!origin.equals("*") && !origin.matches("(?i)https?://[^/]+/?")) {
                throw new IllegalArgumentException("allowed origin \"" + origin
                        + "\" is not scheme://host[:port] (e.g. https://app.example.com) or *");
            }
            allowedOrigins.add(origin);
            return this;
        }

        /** Requires a token on every join, verified by this issuer. Default: no token needed. */
        public Builder requireTokens(TokenIssuer issuer) {
            this.tokens = Objects.requireNonNull(issuer, "issuer");
            return this;
        }

        /** Serves TLS (wss://, https://) with this keystore (PKCS12 or JKS). */
        public Builder tls(Path keyStore, String password) {
            if (!Files.isReadable(keyStore)) {
                throw new IllegalArgumentException("TLS keystore " + keyStore + " is not a readable file");
            }
            this.keyStore = keyStore;
            this.keyStorePassword = Objects.requireNonNull(password, "keystore password");
            return this;
        }

        public Builder limits(SignalingLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Whether to serve the browser pages (default true). */
        public Builder servePages(boolean servePages) {
            this.servePages = servePages;
            return this;
        }

        /** The most threads of the server's pool (default 64; connections do not hold threads). */
        public Builder maxThreads(int maxThreads) {
            if (maxThreads < 8) {
                throw new IllegalArgumentException("maxThreads must be at least 8 (Jetty needs some for"
                        + " accepting and selecting), was " + maxThreads);
            }
            this.maxThreads = maxThreads;
            return this;
        }

        /**
         * What to do after an {@link OutOfMemoryError} (or another {@link VirtualMachineError}) in the
         * server's threads or connections. Default: print one line to standard error and
         * {@code Runtime.halt(3)}, so that a supervisor restarts the process. An embedder that
         * replaces it must still stop the process (or at least this server and its port): after such
         * an error Jetty's acceptor or selector may be dead. Called at most once, on the failing
         * thread.
         */
        public Builder onFatalError(Consumer<Error> handler) {
            this.fatalErrorHandler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** The limits set so far (for the standalone server's tests). */
        SignalingLimits limits() {
            return limits;
        }

        /** A server with these settings, not started yet. */
        public SignalingServer build() {
            return new SignalingServer(this);
        }
    }
}
