package dev.packetstream.signaling.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.packetstream.signaling.ErrorCode;
import dev.packetstream.signaling.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.exceptions.MessageTooLargeException;
import org.eclipse.jetty.websocket.api.exceptions.WebSocketTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of one WebSocket connection: checks each message (rate, size, form, state) and
 * relays it within the connection's room.
 *
 * <h2>Threads</h2>
 * Jetty calls this listener for one connection one event at a time (it demands the next frame
 * only after a callback returns), possibly on different threads; state is confined to that
 * sequence, with {@code volatile} for visibility across threads.
 *
 * <h2>Invalid messages</h2>
 * An invalid message reaches no one: its sender gets an {@code error} with the code, and the
 * figures count it under that code. The connection stays open.
 */
public final class SignalingEndpoint implements Session.Listener.AutoDemanding {
    private static final Logger LOG = LoggerFactory.getLogger(SignalingEndpoint.class);

    private final ServerContext context;
    private final RateLimiter rate;
    private volatile Outbox outbox;
    private volatile Peer peer;

    public SignalingEndpoint(ServerContext context) {
        this.context = context;
        this.rate = new RateLimiter(context.limits().maxMessagesPerSecond(), System.nanoTime());
    }

    @Override
    public void onWebSocketOpen(Session session) {
        context.counters().connections.incrementAndGet();
        outbox = new Outbox(session, context.limits().maxPendingPerPeer(), context.counters());
    }

    @Override
    public void onWebSocketText(String text) {
        context.counters().received.increment();
        if (!admit()) {
            return;
        }
        if (tooLarge(text)) {
            reject(ErrorCode.TOO_LARGE, "message of " + text.getBytes(StandardCharsets.UTF_8).length
                    + " bytes is over the limit of " + context.limits().maxMessageBytes()
                    + " bytes: keep SDP and events smaller (or raise the server's maxMessageBytes)", null, null);
            return;
        }
        InboundMessage message;
        try {
            message = context.validator().parse(text);
        } catch (ProtocolException e) {
            reject(e.code(), e.getMessage(), null, null);
            return;
        }
        try {
            handle(message);
        } catch (ProtocolException e) {
            reject(e.code(), e.getMessage(), message.type().wire(), message.mid());
        } catch (RuntimeException e) {
            LOG.error("unexpected failure handling a {} message", message.type().wire(), e);
            reject(ErrorCode.INTERNAL, "the server failed to handle this message; its log says why",
                    message.type().wire(), message.mid());
        }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        context.counters().received.increment();
        if (admit()) {
            reject(ErrorCode.BINARY_NOT_SUPPORTED,
                    "binary frames are not part of the protocol: send JSON in text frames", null, null);
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        if (cause instanceof WebSocketTimeoutException) {
            context.counters().rejected(ErrorCode.IDLE_TIMEOUT);
        } else if (cause instanceof MessageTooLargeException) {
            context.counters().received.increment();
            context.counters().rejected(ErrorCode.TOO_LARGE);
        } else {
            LOG.debug("connection error", cause);
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        Peer current = peer;
        peer = null;
        if (current != null) {
            context.registry().leave(current);
        }
        if (outbox != null) {
            context.counters().connections.decrementAndGet();
        }
    }

    private boolean admit() {
        long now = System.nanoTime();
        if (rate.tryAcquire(now)) {
            return true;
        }
        context.counters().rejected(ErrorCode.RATE_LIMITED);
        if (rate.shouldWarn(now)) {
            outbox.notice(context.messages().error(ErrorCode.RATE_LIMITED, "more than "
                    + context.limits().maxMessagesPerSecond() + " messages per second: messages are dropped"
                    + " until the rate falls (at most one such error per second is sent)", null, null));
        }
        return false;
    }

    private boolean tooLarge(String text) {
        int max = context.limits().maxMessageBytes();
        if (text.length() <= max / 3) {
            return false;
        }
        return text.length() > max || text.getBytes(StandardCharsets.UTF_8).length > max;
    }

    private void handle(InboundMessage message) throws ProtocolException {
        switch (message.type()) {
            case PING -> outbox.notice(context.messages().pong(message.mid()));
            case JOIN -> join(message);
            case LEAVE -> {
                Peer current = joined(message);
                peer = null;
                context.registry().leave(current);
                outbox.notice(context.messages().left(current.room().name(), message.mid()));
            }
            case OFFER, ANSWER, CANDIDATE, BYE -> {
                Peer from = joined(message);
                RelayTarget to = context.registry().addressed(from, message.to());
                to.relay(context.messages().relay(message.type(), from, message.payload(), message.mid(), false));
            }
            case EVENT -> {
                Peer from = joined(message);
                if (message.to() != null) {
                    RelayTarget to = context.registry().addressed(from, message.to());
                    to.relay(context.messages().relay(message.type(), from, message.payload(), message.mid(), false));
                } else {
                    context.registry().relayToRoom(from,
                            context.messages().relay(message.type(), from, message.payload(), message.mid(), true));
                }
            }
            default -> throw new IllegalStateException("unhandled message type " + message.type());
        }
    }

    private void join(InboundMessage message) throws ProtocolException {
        Peer current = peer;
        if (current != null) {
            throw new ProtocolException(ErrorCode.ALREADY_JOINED, "this connection is already peer " + current.id()
                    + " in room \"" + current.room().name() + "\": send leave before joining again");
        }
        JsonNode fields = message.payload();
        String room = fields.get("room").asText();
        String role = fields.get("role").asText();
        if (context.tokens() != null) {
            JsonNode token = fields.get("token");
            if (token == null || token.isNull()) {
                throw new ProtocolException(ErrorCode.TOKEN_REQUIRED,
                        "this server requires a token: add \"token\" (issued by the application) to join");
            }
            context.tokens().verify(token.asText(), room, role);
        }
        peer = context.registry().join(room, role, outbox, message.mid());
    }

    private Peer joined(InboundMessage message) throws ProtocolException {
        Peer current = peer;
        if (current == null) {
            throw new ProtocolException(ErrorCode.NOT_JOINED,
                    message.type().wire() + " needs a joined peer: send join first");
        }
        return current;
    }

    private void reject(ErrorCode code, String text, String ref, String mid) {
        context.counters().rejected(code);
        outbox.notice(context.messages().error(code, text, ref, mid));
    }
}
