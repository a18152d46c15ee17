package dev.packetstream.webrtc;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.packetstream.core.DiscardReason;
import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketSink;
import dev.packetstream.core.PacketStreamAdapter;
import dev.packetstream.core.RawPacket;
import dev.packetstream.core.Retention;
import dev.packetstream.core.Startable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A data channel as a packet source and a packet sink. As a <b>source</b> (attach with
 * {@code AttachOption.SYNC_STATE}) it emits binary messages as owned {@link RawPacket}s and text
 * messages as {@link TextPacket}s. As a <b>sink</b> ({@code stream.addSink("dc", channel)}) it
 * sends {@link RawPacket}s as binary and {@link TextPacket}s as text messages.
 *
 * <pre>{@code
 * WebRtcDataChannel out = session.createDataChannel("events");      // offerer side
 * WebRtcDataChannel in = peer.remoteDataChannel("events").get();     // answerer side
 * out.opened().get();
 * out.sendText("hello");
 * }</pre>
 *
 * <h2>Threads</h2>
 * libwebrtc delivers messages on its signaling thread; each is copied there and emitted on the
 * session's <b>event thread</b>, in order. Sending is thread safe and does not block (libwebrtc
 * buffers; see {@link #bufferedAmount()}).
 *
 * <h2>Errors</h2>
 * Sending before the channel is open or after it closed throws {@link IllegalStateException}
 * naming the channel. Messages that arrive while the source is stopped are counted and dropped.
 */
public final class WebRtcDataChannel extends PacketStreamAdapter implements Startable, PacketSink {
    private final PeerSession session;
    private final RTCDataChannel channel;
    private final String label;
    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    private volatile boolean started;
    private volatile boolean closed;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong sentCount = new AtomicLong();

    WebRtcDataChannel(PeerSession session, RTCDataChannel channel, String label) {
        super("datachannel:" + label, Retention.CLONED);
        this.session = session;
        this.channel = channel;
        this.label = label;
        channel.registerObserver(new RTCDataChannelObserver() {
            @Override
            public void onBufferedAmountChange(long previousAmount) {
            }

            @Override
            public void onStateChange() {
                RTCDataChannelState s = channel.getState();
                session.onEvents(() -> {
                    if (s == RTCDataChannelState.OPEN) {
                        opened.complete(null);
                    } else if (s == RTCDataChannelState.CLOSED) {
                        opened.completeExceptionally(new IllegalStateException("data channel '" + label + "' closed"));
                    }
                });
            }

            @Override
            public void onMessage(RTCDataChannelBuffer buffer) {
                ByteBuffer d = buffer.data; // valid only during this call: copy
                Packet p = buffer.binary ? RawPacket.copyOf(d)
                        : new TextPacket(StandardCharsets.UTF_8.decode(d.duplicate()).toString());
                session.onEvents(() -> deliver(p));
            }
        });
        if (channel.getState() == RTCDataChannelState.OPEN) {
            opened.complete(null);
        }
    }

    public String label() {
        return label;
    }

    /** Completes (on the session's event thread) when the channel is open. */
    public CompletableFuture<Void> opened() {
        return opened;
    }

    @Override
    public void start() {
        started = true;
    }

    @Override
    public void stop() {
        started = false;
    }

    private void deliver(Packet p) {
        if (!started) {
            discard(p, DiscardReason.INACTIVE);
            return;
        }
        received.incrementAndGet();
        emit(p);
    }

    /** Sink side: sends a {@link RawPacket} as binary or a {@link TextPacket} as text; ignores other packets. */
    @Override
    public void accept(Packet packet) {
        if (packet instanceof TextPacket t) {
            sendText(t.text());
        } else if (packet instanceof RawPacket r) {
            send(r.buffer().duplicate(), true);
        }
    }

    public void sendText(String text) {
        send(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), false);
    }

    public void sendBinary(byte[] data) {
        send(ByteBuffer.wrap(data), true);
    }

    private synchronized void send(ByteBuffer data, boolean binary) {
        if (closed) {
            throw new IllegalStateException("data channel '" + label + "' of session '" + session.name() + "' is closed");
        }
        if (channel.getState() != RTCDataChannelState.OPEN) {
            throw new IllegalStateException("data channel '" + label + "' of session '" + session.name()
                    + "' is not open (" + channel.getState() + "); wait for opened()");
        }
        try {
            channel.send(new RTCDataChannelBuffer(data, binary));
            sentCount.incrementAndGet();
        } catch (Exception e) {
            throw new RtcException("data channel '" + label + "' of session '" + session.name() + "': send failed: " + e, e);
        }
    }

    /** Bytes libwebrtc holds, not yet sent. */
    public synchronized long bufferedAmount() {
        return closed ? 0 : channel.getBufferedAmount();
    }

    public long messagesReceived() {
        return received.get();
    }

    public long messagesSent() {
        return sentCount.get();
    }

    public long messagesDropped() {
        return discardedCount();
    }

    /** Session teardown: unregister, close, dispose (in that order). */
    synchronized void closeNative() {
        if (closed) {
            return;
        }
        closed = true;
        started = false;
        channel.unregisterObserver();
        channel.close();
        channel.dispose();
        opened.completeExceptionally(new IllegalStateException("data channel '" + label + "' closed"));
    }
}
