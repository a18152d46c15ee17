package dev.packetstream.signaling;

import dev.packetstream.core.peer.IceCandidate;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Java peer's connection to a {@link SignalingServer}: joins one room with one role, sends
 * offers, answers, candidates and events addressed to peer ids, and delivers what the server sends
 * to a {@link SignalingListener}.
 *
 * <pre>{@code
 * try (SignalingClient client = SignalingClient.builder(server.webSocketUri())
 *         .room("demo").role("viewer").listener(myListener).build()) {
 *     Joined joined = client.connect().get(5, TimeUnit.SECONDS);
 *     ...
 * }
 * }</pre>
 *
 * <h2>Threads</h2>
 * Listener methods run one at a time, in arrival order, on the client's event thread (see
 * {@link SignalingListener}). The send methods and {@link #close()} may be called from any thread,
 * including from a listener method. Sends are written in call order.
 *
 * <h2>Connection and reconnection</h2>
 * {@link #connect()} connects once and joins; its future fails (and the client is done) if that
 * first attempt fails or the server refuses the join. After a successful join, a lost connection
 * is retried with the {@link Backoff} (default: 250 ms doubling to 10 s, unlimited) and the client
 * joins the same room again, with a new self id: the other peers see the old id leave and a new
 * one join. A refused re-join with a token error (required, invalid, expired, mismatch) stops the
 * retries; other refusals (room full...) are retried. When the client stops retrying it closes
 * itself (after {@link SignalingListener#onDisconnected} with {@code reconnecting == false}).
 *
 * <h2>Ownership</h2>
 * The client owns its Jetty {@link WebSocketClient} and event thread, and {@link #close()} stops
 * them, unless they were given to the builder: then their owner stops them.
 *
 * <h2>Structure</h2>
 * This class is the facade and owns the threads; the connection state machine (reconnection,
 * pings) is {@code ClientConnection}, the messages {@code ClientProtocol} (with the server's own
 * message types), the WebSocket endpoint {@code internal.ClientEndpoint}.
 */
public final class SignalingClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SignalingClient.class);

    private final ClientConnection.Target target;
    private final WebSocketClient webSocket;
    private final boolean ownsWebSocket;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final ClientProtocol protocol = new ClientProtocol();
    private final ClientConnection connection;

    private SignalingClient(Builder b) {
        this.target = new ClientConnection.Target(b.uri, b.room, b.role, b.token, b.origin, b.backoff, b.pingInterval);
        String instance = Integer.toHexString(System.identityHashCode(this));
        if (b.webSocketClient != null) {
            this.webSocket = b.webSocketClient;
            this.ownsWebSocket = false;
        } else {
            HttpClient http = new HttpClient();
            QueuedThreadPool threads = new QueuedThreadPool(16, 2);
            threads.setName("signaling-client-" + instance + "-jetty");
            threads.setDaemon(true);
            http.setExecutor(threads);
            if (b.trustAll) {
                http.setSslContextFactory(new SslContextFactory.Client(true));
            }
            this.webSocket = new WebSocketClient(http);
            this.ownsWebSocket = true;
        }
        if (b.scheduler != null) {
            this.scheduler = b.scheduler;
            this.ownsScheduler = false;
        } else {
            ScheduledThreadPoolExecutor own = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "signaling-client-" + instance + "-" + b.room + "-" + b.role);
                t.setDaemon(true);
                return t;
            });
            own.setRemoveOnCancelPolicy(true);
            this.scheduler = own;
            this.ownsScheduler = true;
        }
        this.connection = new ClientConnection(target, b.listener, webSocket, scheduler, protocol, this::close);
    }

    /** @param serverUri the server's WebSocket URI, e.g. {@link SignalingServer#webSocketUri()} */
    public static Builder builder(URI serverUri) {
        return new Builder(serverUri);
    }

    /**
     * Connects and joins.
     *
     * @return completes on the event thread when joined; fails with a {@link SignalingClientException}
     *         if the connection fails or the server refuses the join
     * @throws IllegalStateException if called twice or after close
     */
    public CompletableFuture<Joined> connect() {
        CompletableFuture<Joined> firstJoin = connection.begin();
        try {
            if (ownsWebSocket) {
                webSocket.start();
            }
        } catch (Exception e) {
            connection.fail(new SignalingClientException("could not start the WebSocket client: " + e.getMessage(), null, e));
            return firstJoin;
        }
        connection.attemptConnection();
        return firstJoin;
    }

    /** The room this client joins. */
    public String room() {
        return target.room();
    }

    /** The role this client joins with. */
    public String role() {
        return target.role();
    }

    /** The server's WebSocket URI. */
    public URI serverUri() {
        return target.uri();
    }

    /** This peer's id while joined, else null. */
    public String selfId() {
        return connection.selfId();
    }

    public boolean isJoined() {
        return connection.isJoined();
    }

    public CompletableFuture<Void> sendOffer(String to, String sdp) {
        return connection.send(protocol.offer(to, sdp));
    }

    public CompletableFuture<Void> sendAnswer(String to, String sdp) {
        return connection.send(protocol.answer(to, sdp));
    }

    public CompletableFuture<Void> sendCandidate(String to, IceCandidate candidate) {
        return connection.send(protocol.candidate(to, candidate));
    }

    /** Tells a peer that this one closed their session (it stays in the room). */
    public CompletableFuture<Void> sendBye(String to) {
        return connection.send(protocol.bye(to));
    }

    /**
     * Sends an application event to one peer.
     *
     * @param data a JSON object, or anything Jackson maps to one (a Map, a record)
     */
    public CompletableFuture<Void> sendEvent(String to, Object data) {
        return connection.send(protocol.event(Objects.requireNonNull(to, "to"), data));
    }

    /** Sends an application event to every other peer of the room. */
    public CompletableFuture<Void> broadcastEvent(Object data) {
        return connection.send(protocol.event(null, data));
    }

    /**
     * Leaves the room and closes the connection, without reconnecting; the same as {@link #close()}
     * but the others see peer-left at once rather than when the socket closes.
     */
    public void leave() {
        connection.send(protocol.leave());
        close();
    }

    /**
     * Closes the connection (status 1000), stops reconnecting, and stops the threads this client
     * owns. Idempotent; callable from a listener method. No listener method runs after it returns,
     * except one already running.
     */
    @Override
    public void close() {
        if (!connection.close()) {
            return;
        }
        if (ownsWebSocket) {
            try {
                webSocket.stop();
            } catch (Exception e) {
                LOG.warn("WebSocket client did not stop cleanly", e);
            }
        }
        if (ownsScheduler) {
            scheduler.shutdownNow();
            if (!connection.inEventLoop()) {
                try {
                    scheduler.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Configures a {@link SignalingClient}. Room and role are required. */
    public static final class Builder {
        private final URI uri;
        private String room;
        private String role;
        private String token;
        private String origin;
        private Backoff backoff = Backoff.defaults();
        private Duration pingInterval = Duration.ofSeconds(20);
        private SignalingListener listener = new SignalingListener() {
        };
        private WebSocketClient webSocketClient;
        private ScheduledExecutorService scheduler;
        private boolean trustAll;

        private Builder(URI uri) {
            this.uri = Objects.requireNonNull(uri, "serverUri");
            if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme())) {
                throw new IllegalArgumentException("server URI " + uri
                        + " must be ws:// or wss://, e.g. SignalingServer.webSocketUri()");
            }
        }

        public Builder room(String room) {
            this.room = Objects.requireNonNull(room, "room");
            return this;
        }

        /** publisher, viewer, recorder, or an application's own role. */
        public Builder role(String role) {
            this.role = Objects.requireNonNull(role, "role");
            return this;
        }

        /** The join token, when the server requires one (see {@link TokenIssuer}). */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** An Origin header to send (non-browser clients normally send none). */
        public Builder origin(String origin) {
            this.origin = origin;
            return this;
        }

        public Builder listener(SignalingListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public Builder reconnect(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /** How often to ping while joined (default 20 s, and at most a third of the server's idle timeout). */
        public Builder pingInterval(Duration pingInterval) {
            if (pingInterval.isNegative() || pingInterval.isZero()) {
                throw new IllegalArgumentException("pingInterval must be positive, was " + pingInterval);
            }
            this.pingInterval = pingInterval;
            return this;
        }

        /**
         * Shares a started Jetty WebSocket client (e.g. between many signaling clients); its owner
         * stops it, after closing the signaling clients.
         */
        public Builder webSocketClient(WebSocketClient shared) {
            this.webSocketClient = Objects.requireNonNull(shared, "shared");
            return this;
        }

        /**
         * Shares an executor for listener calls and timers: each client still calls its listener
         * one method at a time, in order. Its owner shuts it down, after closing the clients.
         */
        public Builder executor(ScheduledExecutorService shared) {
            this.scheduler = Objects.requireNonNull(shared, "shared");
            return this;
        }

        /** Accepts any TLS certificate (self-signed development servers only). */
        public Builder trustAllCertificates() {
            this.trustAll = true;
            return this;
        }

        public SignalingClient build() {
            if (room == null || role == null) {
                throw new IllegalStateException("a SignalingClient needs a room and a role: call room(...) and role(...)");
            }
            if (trustAll && webSocketClient != null) {
                throw new IllegalStateException("trustAllCertificates() applies to the client's own WebSocket client:"
                        + " configure TLS on the shared one instead");
            }
            return new SignalingClient(this);
        }
    }
}
