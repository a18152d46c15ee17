package dev.packetstream.samples.wire;

import dev.packetstream.core.peer.IceCandidate;
import dev.packetstream.core.peer.Signaller;
import dev.packetstream.samples.LoadReceivers;
import dev.packetstream.signaling.bridge.RoomConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One load viewer: a UDP socket on 127.0.0.1, the relay's offer answered as an ICE-lite,
 * DTLS-client, receive-only peer, then what arrives demultiplexed by its first byte (RFC 7983):
 * STUN Binding requests answered, DTLS records handed to the handshake, SRTP counted by an
 * {@link RtpCounter}. {@link #onDatagram} runs on the receive thread of {@link WireViewers}.
 */
public final class WireViewer implements LoadReceivers.Counts {
    private static final Logger log = LoggerFactory.getLogger(WireViewer.class);
    private static final int HANDSHAKE_TIMEOUT_MS = 30_000;

    final String name;
    final DatagramChannel channel;
    private final SelfCertificate identity;
    private final ExecutorService handshakes;
    private final double fps;
    private final String ufrag;
    private final String password;
    private final StunResponder stun;
    private final byte[] response = new byte[128];
    volatile RoomConnection connection;
    private volatile AnswerSdp.Offer offer;
    private volatile RtpCounter counter;
    private volatile DtlsSrtpHandshake handshake;
    private volatile InetSocketAddress relay;
    private volatile long answeredAtNanos;
    volatile boolean relayLeft;
    volatile String failure;

    WireViewer(String name, SelfCertificate identity, ExecutorService handshakes, double fps) throws IOException {
        this.name = name;
        this.identity = identity;
        this.handshakes = handshakes;
        this.fps = fps;
        SecureRandom random = new SecureRandom();
        byte[] u = new byte[6];
        byte[] p = new byte[18];
        random.nextBytes(u);
        random.nextBytes(p);
        this.ufrag = HexFormat.of().formatHex(u);
        this.password = HexFormat.of().formatHex(p);
        this.stun = new StunResponder(ufrag, password);
        this.channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        channel.configureBlocking(false);
    }

    int port() {
        return ((InetSocketAddress) channel.socket().getLocalSocketAddress()).getPort();
    }

    /** The listener of this viewer's signaller: answers the relay's offer. */
    Signaller.Listener listener(Signaller signaller) {
        return new Signaller.Listener() {
            @Override
            public void onOffer(String sdp) {
                if (offer != null) {
                    log.warn("{}: ignoring a second offer from the relay (load viewers do not renegotiate)", name);
                    return;
                }
                try {
                    AnswerSdp.Offer o = AnswerSdp.parse(sdp);
                    offer = o;
                    answeredAtNanos = System.nanoTime();
                    signaller.sendAnswer(AnswerSdp.answer(o, ufrag, password, identity.fingerprint(), port(),
                            Math.abs(new SecureRandom().nextLong())));
                } catch (RuntimeException e) {
                    failure = "could not answer the relay's offer: " + e;
                    log.warn("{}: {}", name, failure);
                }
            }

            @Override
            public void onAnswer(String sdp) {
                log.warn("{}: unexpected answer from the relay", name);
            }

            @Override
            public void onCandidate(IceCandidate candidate) {
                // ICE-lite: the relay's address comes with its first Binding request
            }

            @Override
            public void onBye() {
                relayLeft = true;
            }
        };
    }

    /** One datagram {@code b[0, length)} from {@code from}; on the receive thread. */
    void onDatagram(byte[] b, int length, InetSocketAddress from) throws IOException {
        int first = b[0] & 0xff;
        if (first >= 128 && first <= 191) {
            RtpCounter c = counter;
            if (c != null) {
                c.onRtp(b, length);
            }
        } else if (first <= 3) {
            int n = stun.respond(b, length, from, response);
            if (n > 0) {
                channel.send(ByteBuffer.wrap(response, 0, n), from);
                if (relay == null) {
                    log.debug("{}: first Binding request from {} {} ms after the answer (USE-CANDIDATE: {})", name, from,
                            (System.nanoTime() - answeredAtNanos) / 1_000_000, stun.lastNominated());
                    relay = from;
                    startHandshake(from);
                }
            }
        } else if (first >= 20 && first <= 63) {
            DtlsSrtpHandshake h = handshake;
            if (h != null && counter == null && from.equals(relay)) {
                h.offer(b, 0, length);
            }
        }
    }

    private void startHandshake(InetSocketAddress to) {
        AnswerSdp.Offer o = offer;
        if (o == null) {
            return; // a request before our answer was made: cannot be (the relay needs our ufrag)
        }
        DtlsSrtpHandshake h = new DtlsSrtpHandshake(name, identity, o.fingerprint(),
                (d, off, len) -> channel.send(ByteBuffer.wrap(d, off, len), to));
        handshake = h;
        try {
            handshakes.execute(() -> {
                try {
                    DtlsSrtpHandshake.SrtpKeys keys = h.run(HANDSHAKE_TIMEOUT_MS);
                    // the relay is the DTLS server: it protects with the server's key and salt
                    PictureLossIndication pli = new PictureLossIndication(keys.clientKey(), keys.clientSalt());
                    counter = new RtpCounter(SrtpDecryptor.fromMaster(keys.serverKey(), keys.serverSalt()), o.videoPayloadType(),
                            o.videoCodec(), o.audioPayloadType(), fps, ssrc -> sendQuietly(pli.next(ssrc), to));
                    log.debug("{}: DTLS-SRTP up with {} {} ms after the answer", name, to, (System.nanoTime() - answeredAtNanos) / 1_000_000);
                } catch (IOException | RuntimeException e) {
                    failure = "DTLS handshake with " + to + " failed: " + e;
                    log.warn("{}: {}", name, failure);
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void sendQuietly(byte[] datagram, InetSocketAddress to) {
        try {
            channel.send(ByteBuffer.wrap(datagram), to);
        } catch (IOException e) {
            log.debug("{}: could not send RTCP to {}: {}", name, to, e.toString());
        }
    }

    void close() {
        DtlsSrtpHandshake h = handshake;
        if (h != null) {
            h.cancel();
        }
        RoomConnection c = connection;
        if (c != null) {
            c.close();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Whether the DTLS-SRTP keys are in place. */
    boolean secured() {
        return counter != null;
    }

    private long read(java.util.function.ToLongFunction<RtpCounter> f) {
        RtpCounter c = counter;
        return c == null ? 0 : f.applyAsLong(c);
    }

    @Override
    public long frames() {
        return read(c -> c.frames.get());
    }

    @Override
    public long keyframes() {
        return read(c -> c.keyframes.get());
    }

    @Override
    public long audioPackets() {
        return read(c -> c.audio.get());
    }

    @Override
    public long missing() {
        return read(c -> c.missingFrames.get());
    }

    /** RTP packets missing from the sequence numbers (video and audio). */
    public long missingPackets() {
        return read(c -> c.missingPackets.get());
    }

    /** Frames whose first packet failed SRTP authentication (not counted as frames). */
    public long authenticationFailures() {
        return read(c -> c.authFailures.get());
    }

    /** PLIs sent to the relay (before the first keyframe). */
    public long keyframeRequests() {
        return read(c -> c.keyframeRequests.get());
    }

    /** Video packets with the padding bit (not frames). */
    public long paddingPackets() {
        return read(c -> c.padding.get());
    }

    /**
     * Frames received whole before the first keyframe, not counted (the relay's first keyframe for
     * this viewer went out before the DTLS-SRTP keys were in place).
     */
    public long framesBeforeFirstKeyframe() {
        return read(c -> c.beforeFirstKeyframe.get());
    }

    @Override
    public Boolean firstWasKeyframe() {
        RtpCounter c = counter;
        return c == null ? null : c.firstWasKeyframe;
    }

    @Override
    public String toString() {
        return name + "[" + (counter == null ? "not secured" : frames() + " frames") + (failure == null ? "" : ", " + failure) + "]";
    }
}
