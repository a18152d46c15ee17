package dev.packetstream.signaling;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.packetstream.signaling.internal.ClientEndpoint;
import dev.packetstream.signaling.websocket.ClientSocketListener;
import dev.packetstream.signaling.internal.MessageType;
import dev.packetstream.signaling.internal.SerialExecutor;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's connection state machine: NEW → CONNECTING → JOINED ⇄ RECONNECTING → CLOSED.
 *
 * <ul>
 *   <li>The first attempt's failure, or a refused first join, fails {@link #begin()}'s future and
 *       closes the client.</li>
 *   <li>After a join, a lost connection is retried with the {@link Backoff}; each attempt joins
 *       the same room again. A re-join refused for its token stops the retries; other refusals
 *       are retried. When retries stop, the client closes.</li>
 *   <li>Each attempt has a generation: what a stale attempt reports is ignored.</li>
 *   <li>While joined, a ping every {@code pingInterval} (at most a third of the server's idle
 *       timeout).</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * State is guarded by a lock; losses and messages are handled on the event thread (a
 * {@link SerialExecutor}), which also calls the listener.
 */
final class ClientConnection implements ClientEndpoint.Attempt, ClientProtocol.Connection {
    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);

    private enum State { NEW, CONNECTING, JOINED, RECONNECTING, CLOSED }

    /** Where and as whom to join, and how to stay connected. */
    record Target(URI uri, String room, String role, String token, String origin, Backoff backoff, Duration pingInterval) {
    }

    private final Target target;
    private final SignalingListener listener;
    private final WebSocketClient webSocket;
    private final ScheduledExecutorService scheduler;
    private final SerialExecutor events;
    private final ClientProtocol protocol;
    private final Runnable closeClient;

    private final Object lock = new Object();
    private State state = State.NEW;
    private int generation;
    private int attempt;
    private Session session;
    private String selfId;
    private CompletableFuture<Joined> firstJoin;
    private ScheduledFuture<?> pingTask;

    /** @param closeClient closes the whole client (this connection, then the threads it owns) */
    ClientConnection(Target target, SignalingListener listener, WebSocketClient webSocket, ScheduledExecutorService scheduler,
                     ClientProtocol protocol, Runnable closeClient) {
        this.target = target;
        this.listener = listener;
        this.webSocket = webSocket;
        this.scheduler = scheduler;
        this.events = new SerialExecutor(scheduler);
        this.protocol = protocol;
        this.closeClient = closeClient;
    }

    /**
     * NEW → CONNECTING; the future completes on the event thread when joined.
     *
     * @throws IllegalStateException if not NEW
     */
    CompletableFuture<Joined> begin() {
        synchronized (lock) {
            if (state != State.NEW) {
                throw new IllegalStateException("connect() was already called on this SignalingClient (state "
                        + state + "): call it once; the client reconnects by itself");
            }
            state = State.CONNECTING;
            firstJoin = new CompletableFuture<>();
            return firstJoin;
        }
    }

    String selfId() {
        synchronized (lock) {
            return state == State.JOINED ? selfId : null;
        }
    }

    boolean isJoined() {
        synchronized (lock) {
            return state == State.JOINED;
        }
    }

    boolean inEventLoop() {
        return events.inEventLoop();
    }

    /** Sends while joined (a join also while connecting); fails the future otherwise. */
    CompletableFuture<Void> send(ObjectNode message) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        boolean join = ClientProtocol.typeOf(message) == MessageType.JOIN;
        Session current;
        synchronized (lock) {
            boolean allowed = state == State.JOINED || (join && (state == State.CONNECTING || state == State.RECONNECTING));
            current = session;
            if (!allowed || current == null) {
                sent.completeExceptionally(new IllegalStateException("cannot send " + message.path("type").asText()
                        + ": the client is " + state.name().toLowerCase(Locale.ROOT)
                        + (state == State.NEW ? " (call connect() and wait for onJoined)" : "")));
                return sent;
            }
        }
        current.sendText(message.toString(), Callback.from(() -> sent.complete(null), sent::completeExceptionally));
        return sent;
    }

    /**
     * → CLOSED: closes the socket (status 1000) and fails a pending first join.
     *
     * @return false if it was closed already
     */
    boolean close() {
        Session current;
        CompletableFuture<Joined> pending;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return false;
            }
            state = State.CLOSED;
            generation++;
            current = session;
            session = null;
            pending = firstJoin;
            cancelPing();
        }
        if (pending != null) {
            pending.completeExceptionally(new SignalingClientException("client closed before it joined", null, null));
        }
        if (current != null && current.isOpen()) {
            current.close(1000, "client closed", Callback.NOOP);
        }
        return true;
    }

    /** The first join failed before any attempt (e.g. the WebSocket client did not start). */
    void fail(SignalingException failure) {
        firstJoin.completeExceptionally(failure);
        closeClient.run();
    }

    // ----- attempts

    /** Starts a connection attempt with a new generation. */
    void attemptConnection() {
        int gen;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            gen = ++generation;
        }
        ClientUpgradeRequest request = new ClientUpgradeRequest();
        if (target.origin() != null) {
            request.setHeader("Origin", target.origin());
        }
        try {
            ClientSocketListener listener = new ClientSocketListener(new ClientEndpoint(gen, this));
            webSocket.connect(listener, target.uri(), request).whenComplete((s, failure) -> {
                if (failure != null) {
                    events.execute(() -> connectionLost(gen, 1006, describe(failure)));
                }
            });
        } catch (Exception e) {
            events.execute(() -> connectionLost(gen, 1006, describe(e)));
        }
    }

    @Override
    public void opened(int gen, Session opened) {
        synchronized (lock) {
            if (gen != generation || state == State.CLOSED) {
                opened.close(1000, "client closed", Callback.NOOP);
                return;
            }
            session = opened;
        }
        send(protocol.join(target.room(), target.role(), target.token()));
    }

    @Override
    public void text(int gen, String text) {
        events.execute(() -> {
            synchronized (lock) {
                if (gen != generation || state == State.CLOSED) {
                    return;
                }
            }
            protocol.read(text, listener, this);
        });
    }

    @Override
    public void closed(int gen, int statusCode, String reason) {
        events.execute(() -> connectionLost(gen, statusCode, reason));
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
            if (firstJoin.isDone() && attempt < target.backoff().maxAttempts()) {
                attempt++;
                state = State.RECONNECTING;
                delay = target.backoff().delay(attempt, ThreadLocalRandom.current().nextDouble());
                retry = true;
            } else {
                retry = false; // closing the client below releases the threads
            }
        }
        if (!firstJoin.isDone()) {
            fail(new SignalingClientException("could not connect to " + target.uri() + " and join room \"" + target.room() + "\": "
                    + reason, null, null));
            return;
        }
        listener.onDisconnected(code, reason, retry);
        if (retry) {
            LOG.info("signaling connection to {} lost ({} {}): reconnecting in {} ms (attempt {})",
                    target.uri(), code, reason, delay.toMillis(), attempt);
            scheduler.schedule(this::attemptConnection, delay.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            LOG.warn("signaling connection to {} lost ({} {}): not reconnecting", target.uri(), code, reason);
            closeClient.run();
        }
    }

    // ----- what the server said (event thread)

    @Override
    public void joined(Joined joined, long idleMs) {
        long pingMs = target.pingInterval().toMillis();
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
            pingTask = scheduler.scheduleAtFixedRate(() -> send(protocol.ping()), pingMs, pingMs, TimeUnit.MILLISECONDS);
        }
        firstJoin.complete(joined);
        listener.onJoined(joined);
    }

    @Override
    public void error(SignalingError error) {
        Session current;
        synchronized (lock) {
            current = session;
        }
        boolean joinRefused = MessageType.JOIN.wire().equals(error.ref());
        if (joinRefused && !firstJoin.isDone()) {
            fail(new SignalingClientException("server refused to join room \"" + target.room() + "\" as " + target.role() + ": " + error,
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
}
