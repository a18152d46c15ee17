package dev.packetstream.signaling;

import dev.packetstream.core.peer.IceCandidate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.packetstream.signaling.internal.SerialExecutor;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
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
 */
public final class SignalingClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SignalingClient.class);

    private enum State { NEW, CONNECTING, JOINED, RECONNECTING, CLOSED }

    private final URI uri;
    private final String room;
    private final String role;
    private final String token;
    private final String origin;
    private final Backoff backoff;
    private final Duration pingInterval;
    private final SignalingListener listener;
    private final WebSocketClient webSocket;
    private final boolean ownsWebSocket;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final SerialExecutor events;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicLong mids = new AtomicLong();

    private final Object lock = new Object();
    private State state = State.NEW;
    private int generation;
    private int attempt;
    private Session session;
    private String selfId;
    private CompletableFuture<Joined> firstJoin;
    private ScheduledFuture<?> pingTask;

    private SignalingClient(Builder b) {
        this.uri = b.uri;
        this.room = b.room;
        this.role = b.role;
        this.token = b.token;
        this.origin = b.origin;
        this.backoff = b.backoff;
        this.pingInterval = b.pingInterval;
        this.listener = b.listener;
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
                Thread t = new Thread(r, "signaling-client-" + instance + "-" + room + "-" + role);
                t.setDaemon(true);
                return t;
            });
            own.setRemoveOnCancelPolicy(true);
            this.scheduler = own;
            this.ownsScheduler = true;
        }
        this.events = new SerialExecutor(scheduler);
    }

    /** @param serverUri the server's WebSocket URI, e.g. {@link SignalingServer#webSocketUri()} */
    public static Builder builder(URI serverUri) {
        return new Builder(serverUri);
    }

    /**
     * Connects and joins.
     *
     * @return completes on the event thread when joined; fails with a {@link SignalingException}
     *         if the connection fails or the server refuses the join
     * @throws IllegalStateException if called twice or after close
     */
    public CompletableFuture<Joined> connect() {
        synchronized (lock) {
            if (state != State.NEW) {
                throw new IllegalStateException("connect() was already called on this SignalingClient (state "
                        + state + "): call it once; the client reconnects by itself");
            }
            state = State.CONNECTING;
            firstJoin = new CompletableFuture<>();
        }
        try {
            if (ownsWebSocket) {
                webSocket.start();
            }
        } catch (Exception e) {
            fail(new SignalingException("could not start the WebSocket client: " + e.getMessage(), null, e));
            return firstJoin;
        }
        attemptConnection();
        return firstJoin;
    }

    /** The room this client joins. */
    public String room() {
        return room;
    }

    /** The role this client joins with. */
    public String role() {
        return role;
    }

    /** The server's WebSocket URI. */
    public URI serverUri() {
        return uri;
    }

    /** This peer's id while joined, else null. */
    public String selfId() {
        synchronized (lock) {
            return state == State.JOINED ? selfId : null;
        }
    }

    public boolean isJoined() {
        synchronized (lock) {
            return state == State.JOINED;
        }
    }

    public CompletableFuture<Void> sendOffer(String to, String sdp) {
        return send(message("offer").put("to", to).put("sdp", sdp));
    }

    public CompletableFuture<Void> sendAnswer(String to, String sdp) {
        return send(message("answer").put("to", to).put("sdp", sdp));
    }

    public CompletableFuture<Void> sendCandidate(String to, IceCandidate candidate) {
        ObjectNode message = message("candidate").put("to", to);
        ObjectNode c = message.putObject("candidate").put("candidate", candidate.candidate());
        c.put("sdpMid", candidate.sdpMid());
        if (candidate.sdpMLineIndex() == null) {
            c.putNull("sdpMLineIndex");
        } else {
            c.put("sdpMLineIndex", candidate.sdpMLineIndex());
        }
        return send(message);
    }

    /** Tells a peer that this one closed their session (it stays in the room). */
    public CompletableFuture<Void> sendBye(String to) {
        return send(message("bye").put("to", to));
    }

    /**
     * Sends an application event to one peer.
     *
     * @param data a JSON object, or anything Jackson maps to one (a Map, a record)
     */
    public CompletableFuture<Void> sendEvent(String to, Object data) {
        ObjectNode message = message("event").put("to", Objects.requireNonNull(to, "to"));
        message.set("data", toObject(data));
        return send(message);
    }

    /** Sends an application event to every other peer of the room. */
    public CompletableFuture<Void> broadcastEvent(Object data) {
        ObjectNode message = message("event");
        message.set("data", toObject(data));
        return send(message);
    }

    /**
     * Leaves the room and closes the connection, without reconnecting; the same as {@link #close()}
     * but the others see peer-left at once rather than when the socket closes.
     */
    public void leave() {
        send(message("leave"));
        close();
    }

    /**
     * Closes the connection (status 1000), stops reconnecting, and stops the threads this client
     * owns. Idempotent; callable from a listener method. No listener method runs after it returns,
     * except one already running.
     */
    @Override
    public void close() {
        Session current;
        CompletableFuture<Joined> pending;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            generation++;
            current = session;
            session = null;
            pending = firstJoin;
            cancelPing();
        }
        if (pending != null) {
            pending.completeExceptionally(new SignalingException("client closed before it joined", null, null));
        }
        if (current != null && current.isOpen()) {
            current.close(1000, "client closed", Callback.NOOP);
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
            if (!events.inEventLoop()) {
                try {
                    scheduler.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    // ----- connection -----

    private void attemptConnection() {
        int gen;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            gen = ++generation;
        }
        ClientUpgradeRequest request = new ClientUpgradeRequest();
        if (origin != null) {
            request.setHeader("Origin", origin);
        }
        try {
            webSocket.connect(new Endpoint(gen), uri, request).whenComplete((s, failure) -> {
                if (failure != null) {
                    events.execute(() -> connectionLost(gen, 1006, describe(failure)));
                }
            });
        } catch (Exception e) {
            events.execute(() -> connectionLost(gen, 1006, describe(e)));
        }
    }

    /** On the event thread. */
    private void connectionLost(int gen, int code, String reason) {
        boolean retry;
        Duration delay = null;
        synchronized (lock) {
            if (gen != generation || state == State.CLOSED) {
                return;
            }
            generation++; // a second report of the same loss (close after a failed connect) is stale
            session = null;
            selfId = null;
            cancelPing();
            if (firstJoin.isDone() && attempt < backoff.maxAttempts()) {
                attempt++;
                state = State.RECONNECTING;
                delay = backoff.delay(attempt, ThreadLocalRandom.current().nextDouble());
                retry = true;
            } else {
                retry = false; // close() below releases the threads
            }
        }
        if (!firstJoin.isDone()) {
            fail(new SignalingException("could not connect to " + uri + " and join room \"" + room + "\": "
                    + reason, null, null));
            return;
        }
        listener.onDisconnected(code, reason, retry);
        if (retry) {
            LOG.info("signaling connection to {} lost ({} {}): reconnecting in {} ms (attempt {})",
                    uri, code, reason, delay.toMillis(), attempt);
            scheduler.schedule(this::attemptConnection, delay.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            LOG.warn("signaling connection to {} lost ({} {}): not reconnecting", uri, code, reason);
            close();
        }
    }

    private void fail(SignalingException failure) {
        firstJoin.completeExceptionally(failure);
        close();
    }

    /** On the event thread. */
    private void receive(int gen, String text) {
        Session current;
        synchronized (lock) {
            if (gen != generation || state == State.CLOSED) {
                return;
            }
            current = session;
        }
        JsonNode message;
        try {
            message = json.readTree(text);
        } catch (Exception e) {
            LOG.warn("ignoring a server message that is not JSON: {}", text);
            return;
        }
        String type = message.path("type").asText();
        switch (type) {
            case "joined" -> joined(message);
            case "peer-joined" -> listener.onPeerJoined(peer(message.path("peer")));
            case "peer-left" -> listener.onPeerLeft(peer(message.path("peer")));
            case "offer" -> listener.onOffer(from(message), message.path("sdp").asText());
            case "answer" -> listener.onAnswer(from(message), message.path("sdp").asText());
            case "candidate" -> {
                JsonNode c = message.path("candidate");
                listener.onCandidate(from(message), new IceCandidate(
                        c.path("sdpMid").isTextual() ? c.path("sdpMid").asText() : null,
                        c.path("sdpMLineIndex").canConvertToInt() ? c.path("sdpMLineIndex").asInt() : null,
                        c.path("candidate").asText()));
            }
            case "bye" -> listener.onBye(from(message));
            case "event" -> listener.onEvent(from(message), message.path("data"),
                    "room".equals(message.path("scope").asText()));
            case "error" -> error(message, current);
            case "pong", "left" -> {
                // nothing to do: pings keep the connection alive
            }
            default -> LOG.debug("ignoring a server message of unknown type {}", type);
        }
    }

    private void joined(JsonNode message) {
        List<PeerInfo> peers = new ArrayList<>();
        message.path("peers").forEach(p -> peers.add(peer(p)));
        Joined joined = new Joined(message.path("id").asText(), message.path("room").asText(),
                message.path("role").asText(), peers);
        long idleMs = message.path("limits").path("idleTimeoutMs").asLong(0);
        long pingMs = pingInterval.toMillis();
        if (idleMs > 0) {
            pingMs = Math.min(pingMs, Math.max(100, idleMs / 3));
        }
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.JOINED;
            selfId = joined.selfId();
            attempt = 0;
            cancelPing();
            pingTask = scheduler.scheduleAtFixedRate(() -> send(message("ping")), pingMs, pingMs,
                    TimeUnit.MILLISECONDS);
        }
        firstJoin.complete(joined);
        listener.onJoined(joined);
    }

    private void error(JsonNode message, Session current) {
        SignalingError error = new SignalingError(message.path("code").asText(), message.path("message").asText(),
                message.hasNonNull("ref") ? message.get("ref").asText() : null,
                message.hasNonNull("mid") ? message.get("mid").asText() : null);
        boolean joinRefused = "join".equals(error.ref());
        if (joinRefused && !firstJoin.isDone()) {
            fail(new SignalingException("server refused to join room \"" + room + "\" as " + role + ": " + error,
                    error, null));
            return;
        }
        listener.onError(error);
        if (joinRefused) {
            boolean permanent = switch (error.errorCode()) {
                case TOKEN_REQUIRED, TOKEN_INVALID, TOKEN_EXPIRED, TOKEN_MISMATCH -> true;
                default -> false;
            };
            if (permanent) {
                LOG.warn("re-join refused ({}): not reconnecting", error);
                synchronized (lock) {
                    attempt = Integer.MAX_VALUE;
                }
            }
            if (current != null) {
                current.close(1000, "join refused: " + error.code(), Callback.NOOP);
            }
        }
    }

    private CompletableFuture<Void> send(ObjectNode message) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        Session current;
        synchronized (lock) {
            boolean allowed = state == State.JOINED || (state == State.CONNECTING && "join".equals(message.path("type").asText()))
                    || (state == State.RECONNECTING && "join".equals(message.path("type").asText()));
            current = session;
            if (!allowed || current == null) {
                sent.completeExceptionally(new IllegalStateException("cannot send " + message.path("type").asText()
                        + ": the client is " + state.name().toLowerCase(java.util.Locale.ROOT)
                        + (state == State.NEW ? " (call connect() and wait for onJoined)" : "")));
                return sent;
            }
        }
        current.sendText(message.toString(), Callback.from(() -> sent.complete(null), sent::completeExceptionally));
        return sent;
    }

    private ObjectNode message(String type) {
        return json.createObjectNode().put("type", type).put("mid", Long.toString(mids.incrementAndGet()));
    }

    private JsonNode toObject(Object data) {
        JsonNode node = json.valueToTree(Objects.requireNonNull(data, "data"));
        if (!node.isObject()) {
            throw new IllegalArgumentException("event data must map to a JSON object, not a JSON "
                    + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return node;
    }

    private static PeerInfo peer(JsonNode node) {
        return new PeerInfo(node.path("id").asText(), node.path("role").asText());
    }

    private static PeerInfo from(JsonNode message) {
        return new PeerInfo(message.path("from").asText(), message.path("fromRole").asText());
    }

    private void cancelPing() {
        if (pingTask != null) {
            pingTask.cancel(false);
            pingTask = null;
        }
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause != cause.getCause()) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /**
     * One connection attempt's WebSocket endpoint; stale attempts are ignored by generation.
     * Public only because Jetty binds listener methods through method handles; not an API.
     */
    public final class Endpoint implements Session.Listener.AutoDemanding {
        private final int gen;

        private Endpoint(int gen) {
            this.gen = gen;
        }

        @Override
        public void onWebSocketOpen(Session opened) {
            synchronized (lock) {
                if (gen != generation || state == State.CLOSED) {
                    opened.close(1000, "client closed", Callback.NOOP);
                    return;
                }
                session = opened;
            }
            ObjectNode join = message("join").put("room", room).put("role", role);
            if (token != null) {
                join.put("token", token);
            }
            send(join);
        }

        @Override
        public void onWebSocketText(String text) {
            events.execute(() -> receive(gen, text));
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            events.execute(() -> connectionLost(gen, statusCode, reason));
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            LOG.debug("signaling connection error", cause);
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
