package dev.packetstream.signaling.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.packetstream.signaling.ErrorCode;
import dev.packetstream.signaling.ProtocolException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
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
 * sequence, with {@code volatile} for visibility across threads. {@link #check} runs on the
 * server's timer thread.
 *
 * <h2>Memory</h2>
 * Text arrives fragment by fragment as Jetty reads it (partial listener: Jetty aggregates
 * nothing); {@link MessageAssembler} keeps at most {@code maxMessageBytes} of an unfinished
 * message, reserved in the server's {@link MemoryBudget}. Binary frames are counted, never kept.
 *
 * <h2>Timeouts</h2>
 * Only what the peer sends resets the idle timeout (not what the server sends it); a peer that
 * leaves messages waiting and accepts no bytes for the write timeout is disconnected.
 *
 * <h2>Invalid messages</h2>
 * An invalid message reaches no one: its sender gets an {@code error} with the code, and the
 * figures count it under that code. The connection stays open.
 */
public final class SignalingEndpoint implements Session.Listener.AutoDemanding {
    private static final Logger LOG = LoggerFactory.getLogger(SignalingEndpoint.class);

    private final ServerContext context;
    private final RateLimiter rate;
    private final MessageAssembler assembler;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final long idleNanos;
    private final long writeNanos;
    private volatile Session session;
    private volatile Outbox outbox;
    private volatile Peer peer;
    private volatile InetAddress address;
    private volatile long lastReceivedNanos = System.nanoTime();
    private long binaryBytes;

    public SignalingEndpoint(ServerContext context) {
        this.context = context;
        this.rate = new RateLimiter(context.limits().maxMessagesPerSecond(), System.nanoTime());
        this.assembler = new MessageAssembler(context.limits().maxMessageBytes(), context.inbound());
        this.idleNanos = context.limits().idleTimeout().toNanos();
        this.writeNanos = context.limits().writeTimeout().toNanos();
    }

    @Override
    public void onWebSocketOpen(Session session) {
        try {
            this.session = session;
            InetAddress from = AddressQuota.addressOf(session.getRemoteSocketAddress());
            if (!context.quota().tryOpen(from)) {
                // the upgrade check passed, but others from the same address got in first
                context.counters().rejected(ErrorCode.TOO_MANY_CONNECTIONS);
                closing.set(true);
                session.close(1013, "too many connections: " + context.quota().refusal(from), Callback.NOOP);
                return;
            }
            address = from;
            context.counters().connections.incrementAndGet();
            outbox = new Outbox(session, context.limits().maxPendingPerPeer(), context.limits().maxPendingBytesPerPeer(),
                    context.outbound(), context.counters());
            lastReceivedNanos = System.nanoTime();
            context.endpoints().add(this);
        } catch (VirtualMachineError e) {
            context.fatal().report(e);
            throw e;
        }
    }

    @Override
    public void onWebSocketPartialText(String fragment, boolean last) {
        try {
            if (outbox == null) {
                return; // refused in onWebSocketOpen
            }
            lastReceivedNanos = System.nanoTime();
            switch (assembler.append(fragment, last)) {
                case INCOMPLETE -> {
                }
                case COMPLETE -> onText(assembler.take());
                case TOO_LARGE -> {
                    context.counters().received.increment();
                    if (admit()) {
                        reject(ErrorCode.TOO_LARGE, "message of " + assembler.lastMessageBytes()
                                + " bytes is over the limit of " + context.limits().maxMessageBytes()
                                + " bytes: keep SDP and events smaller (or raise the server's maxMessageBytes)", null, null);
                    } else {
                        context.counters().rejected(ErrorCode.TOO_LARGE);
                    }
                }
                case FAR_TOO_LARGE -> {
                    context.counters().received.increment();
                    context.counters().rejected(ErrorCode.TOO_LARGE);
                    closeNow(1009, "message over 4 x the limit of " + context.limits().maxMessageBytes() + " bytes");
                }
                case NO_BUDGET -> {
                    context.counters().received.increment();
                    context.counters().rejected(ErrorCode.SERVER_BUSY);
                    closeNow(1013, "server busy: its memory for unfinished messages is used up; try again later");
                }
                default -> throw new IllegalStateException("unhandled assembler result");
            }
        } catch (VirtualMachineError e) {
            context.fatal().report(e);
            throw e;
        }
    }

    @Override
    public void onWebSocketPartialBinary(ByteBuffer payload, boolean last, Callback callback) {
        try {
            binaryBytes += payload.remaining();
            callback.succeed();
            if (outbox == null) {
                return;
            }
            lastReceivedNanos = System.nanoTime();
            if (binaryBytes > 4L * context.limits().maxMessageBytes()) {
                binaryBytes = 0;
                context.counters().received.increment();
                context.counters().rejected(ErrorCode.TOO_LARGE);
                closeNow(1009, "binary message over 4 x the limit of " + context.limits().maxMessageBytes() + " bytes");
                return;
            }
            if (last) {
                binaryBytes = 0;
                context.counters().received.increment();
                if (admit()) {
                    reject(ErrorCode.BINARY_NOT_SUPPORTED,
                            "binary frames are not part of the protocol: send JSON in text frames", null, null);
                }
            }
        } catch (VirtualMachineError e) {
            context.fatal().report(e);
            throw e;
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        context.fatal().check(cause);
        if (cause instanceof WebSocketTimeoutException) {
            if (closing.compareAndSet(false, true)) {
                context.counters().rejected(ErrorCode.IDLE_TIMEOUT);
            }
        } else {
            LOG.debug("connection error", cause);
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        try {
            context.endpoints().remove(this);
            assembler.reset();
            Peer current = peer;
            peer = null;
            if (current != null) {
                context.registry().leave(current);
                context.quota().leftRoom(address, current.room().name());
            }
            if (outbox != null) {
                context.counters().connections.decrementAndGet();
                context.quota().closed(address);
            }
        } catch (VirtualMachineError e) {
            context.fatal().report(e);
            throw e;
        }
    }

    /**
     * Closes the connection if the peer has sent nothing for the idle timeout (status 1001), or has
     * left messages waiting without accepting a byte for the write timeout (disconnected: a close
     * frame could not be written either).
     */
    void check(long nowNanos) {
        Session current = session;
        Outbox out = outbox;
        if (current == null || out == null || closing.get()) {
            return;
        }
        if (nowNanos - lastReceivedNanos > idleNanos) {
            if (closing.compareAndSet(false, true)) {
                context.counters().rejected(ErrorCode.IDLE_TIMEOUT);
                current.close(1001, "idle timeout: nothing received for "
                        + TimeUnit.NANOSECONDS.toMillis(idleNanos) + " ms (send a ping)", Callback.NOOP);
            }
        } else if (out.stalledSince(nowNanos - writeNanos)) {
            if (closing.compareAndSet(false, true)) {
                context.counters().rejected(ErrorCode.WRITE_TIMEOUT);
                current.disconnect();
            }
        }
    }

    private void closeNow(int status, String reason) {
        closing.set(true);
        session.close(status, reason, Callback.NOOP);
    }

    private void onText(String text) {
        context.counters().received.increment();
        if (!admit()) {
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

    private void handle(InboundMessage message) throws ProtocolException {
        switch (message.type()) {
            case PING -> outbox.notice(context.messages().pong(message.mid()));
            case JOIN -> join(message);
            case LEAVE -> {
                Peer current = joined(message);
                peer = null;
                context.registry().leave(current);
                context.quota().leftRoom(address, current.room().name());
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
        if (!context.quota().tryEnterRoom(address, room)) {
            throw new ProtocolException(ErrorCode.TOO_MANY_ROOMS, "your address " + address.getHostAddress()
                    + " already has peers in " + context.quota().maxRoomsPerAddress() + " rooms, the server's limit"
                    + " per address: leave one first, or ask the operator to raise maxRoomsPerAddress");
        }
        try {
            peer = context.registry().join(room, role, outbox, message.mid(), address);
        } catch (RuntimeException e) { // ProtocolException included
            context.quota().leftRoom(address, room);
            throw e;
        }
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
