package dev.packetstream.webrtc.encoded;

import com.sun.jna.Pointer;
import dev.packetstream.core.DiscardReason;
import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketProcessor;
import dev.packetstream.core.Retention;
import dev.packetstream.core.media.AudioCodec;
import dev.packetstream.core.media.EncodedAudioPacket;
import dev.packetstream.core.media.EncodedVideoPacket;
import dev.packetstream.core.media.VideoCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A processor that sends encoded media on an {@link EncodedPeerSession}, without decoding or
 * encoding: {@link EncodedVideoPacket}s (H.264 Annex-B access units, VP8 or VP9 frames) and
 * {@link EncodedAudioPacket}s (Opus) are payloaded into RTP with NACK/RTX on; then each packet is
 * passed on unchanged.
 *
 * <pre>{@code
 * EncodedTrackSender sender = session.newSender("cam").video(VideoCodec.H264).audio(AudioCodec.OPUS).build();
 * sender.onKeyframeRequest(reason -> encoder.requestKeyframe());
 * stream.attach(sender, 50);
 * stream.start();
 * session.negotiate();            // after the first packet of each track (see EncodedPeerSession)
 * }</pre>
 *
 * <h2>Keyframes</h2>
 * The video track starts on a keyframe: packets before the first keyframe, and again after the
 * transport connects (what was sent before may be lost), are dropped (counted in
 * {@link #droppedWaitingForKeyframe()}) and a keyframe is requested. Each track has a bounded queue ({@link Builder#queueLimit},
 * in packets); when the video queue is full (the network or the peer is not keeping up) the
 * sender drops video up to the next keyframe, so the peer never decodes a broken picture (it asks
 * for that keyframe once the queue has room again: a peer that stays stalled costs the others
 * no keyframes), and audio packets that find their queue full are dropped. Every such event, and every PLI/FIR the
 * peer sends, reaches the {@link #onKeyframeRequest} listeners (on the session's event thread):
 * connect them to the encoder's {@code requestKeyframe()} or forward them to the publisher.
 *
 * <h2>Timestamps</h2>
 * RTP timestamps come from the packets' presentation times (never from arrival): the first
 * packet's time is mapped to the session's current running time, and every later packet keeps its
 * distance from it, so audio and video of one source stay in sync at the peer (RTCP sender reports
 * carry the mapping).
 *
 * <h2>Ownership and threads</h2>
 * {@link Retention#BORROWED}: each packet's bytes are copied once into a native buffer during the
 * call. {@code process} and {@link #send} may be called from several threads; they never block
 * (the queue is drained by GStreamer's streaming thread).
 *
 * <h2>Wrong input</h2>
 * A packet of a codec the sender was not built for (or of a kind it has no track for) is dropped,
 * counted in {@link #droppedWrongCodec()}, and reported once per codec to the session's error
 * listeners with an {@link IllegalArgumentException} saying what was expected. After the session
 * or the sender closed, packets are dropped and counted ({@link #droppedClosed()}).
 */
public final class EncodedTrackSender extends PacketProcessor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EncodedTrackSender.class);

    /** Why a keyframe is wanted. */
    public enum KeyframeReason {
        /** The peer sent a PLI or FIR (its decoder lost the picture). */
        PEER_REQUEST,
        /** The sender starts (or restarts after a drop) and waits for a keyframe. */
        WAITING_FOR_KEYFRAME,
        /** The video queue overflowed and was dropped to the next keyframe. */
        QUEUE_OVERFLOW
    }

    private final EncodedPeerSession session;
    private final SendTrack video;
    private final SendTrack audio;
    private final int queueLimit;
    private final List<Consumer<KeyframeReason>> keyframeListeners = new CopyOnWriteArrayList<>();
    private final List<String> reportedWrongCodecs = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;
    private volatile boolean closedByUser;
    private final Object timeLock = new Object();
    private long offsetNs = Long.MIN_VALUE;
    private final KeyframeGate gate;

    private final AtomicLong videoSent = new AtomicLong();
    private final AtomicLong audioSent = new AtomicLong();
    private final AtomicLong peerRequests = new AtomicLong();

    private EncodedTrackSender(Builder b) {
        super(b.name, Retention.BORROWED);
        this.session = b.session;
        this.queueLimit = b.queueLimit;
        this.gate = new KeyframeGate(b.queueLimit);
        Runnable peerAsked = () -> {
            peerRequests.incrementAndGet();
            session.events().execute(() -> fireKeyframeRequest(KeyframeReason.PEER_REQUEST));
        };
        this.video = b.videoCodec == null ? null
                : new SendTrack(session, b.name, MediaKind.VIDEO, b.videoCodec.name(), Codecs.send(b.videoCodec), peerAsked);
        this.audio = b.audioCodec == null ? null
                : new SendTrack(session, b.name, MediaKind.AUDIO, b.audioCodec.name(), Codecs.send(b.audioCodec, b.channels),
                        peerAsked);
    }

    /** Adds a listener for keyframe requests; it runs on the session's event thread. */
    public EncodedTrackSender onKeyframeRequest(Consumer<KeyframeReason> listener) {
        keyframeListeners.add(listener);
        return this;
    }

    public EncodedPeerSession session() {
        return session;
    }

    @Override
    public boolean accepts(Packet packet) {
        return packet instanceof EncodedVideoPacket || packet instanceof EncodedAudioPacket;
    }

    @Override
    public void process(Packet packet) {
        send(packet);
        emit(packet);
    }

    /**
     * Sends one packet (copied during the call). Returns whether it was queued; false when it was
     * dropped (and counted) for one of the reasons in the class comment.
     */
    public boolean send(Packet packet) {
        if (closedByUser) {
            throw new IllegalStateException("sender '" + name() + "' is closed; make a new sender");
        }
        SendTrack track = trackFor(packet);
        if (track == null) {
            return false;
        }
        if (!admit(track, packet.hasFlag(Packet.FLAG_KEYFRAME), packet)) {
            return false;
        }
        EncodedBuffer b = EncodedBuffer.of(session.libs(), packet);
        push(track, b, false);
        return true;
    }

    /** Fan-out: sends a buffer made once for every viewer (this sender pushes a shallow copy of it). */
    boolean sendShared(EncodedBuffer b, Packet packet) {
        if (closedByUser || stopped) {
            discard(packet, DiscardReason.CLOSED);
            return false;
        }
        SendTrack track = b.kind == MediaKind.VIDEO ? video : audio;
        if (track == null || !track.codecName.equals(b.codec)) {
            wrongCodec(b.kind, b.codec, packet);
            return false;
        }
        if (!admit(track, b.keyframe, packet)) {
            return false;
        }
        push(track, b, true);
        return true;
    }

    private SendTrack trackFor(Packet packet) {
        MediaKind kind;
        String codec;
        if (packet instanceof EncodedVideoPacket v) {
            kind = MediaKind.VIDEO;
            codec = v.codec().name();
        } else if (packet instanceof EncodedAudioPacket a) {
            kind = MediaKind.AUDIO;
            codec = a.codec().name();
        } else {
            return null;
        }
        if (stopped) {
            discard(packet, DiscardReason.CLOSED);
            return null;
        }
        SendTrack t = kind == MediaKind.VIDEO ? video : audio;
        if (t == null || !t.codecName.equals(codec)) {
            wrongCodec(kind, codec, packet);
            return null;
        }
        return t;
    }

    /** The queue and keyframe policy: whether this packet may be pushed. */
    private boolean admit(SendTrack track, boolean keyframe, Packet packet) {
        if (track.kind == MediaKind.AUDIO) {
            if (track.queued() >= queueLimit) {
                discard(packet, DiscardReason.OVERFLOW);
                return false;
            }
            return true;
        }
        KeyframeGate.Decision d = gate.admit(track.queued(), keyframe);
        if (d.request() != null) {
            session.events().execute(() -> fireKeyframeRequest(d.request()));
        }
        if (!d.push()) {
            discard(packet, d.drop());
            return false;
        }
        return true;
    }

    private void push(SendTrack track, EncodedBuffer b, boolean shared) {
        long offset;
        synchronized (timeLock) {
            if (offsetNs == Long.MIN_VALUE) {
                offsetNs = session.runningTimeNs() - b.ptsUs * 1000;
            }
            offset = offsetNs;
        }
        Pointer stamped = b.stamped(offset, shared);
        track.push(stamped);
        (track.kind == MediaKind.VIDEO ? videoSent : audioSent).incrementAndGet();
    }

    private void wrongCodec(MediaKind kind, String codec, Packet packet) {
        discard(packet, DiscardReason.UNSUPPORTED);
        String key = kind + "/" + codec;
        if (reportedWrongCodecs.contains(key)) {
            return;
        }
        reportedWrongCodecs.add(key);
        SendTrack t = kind == MediaKind.VIDEO ? video : audio;
        String k = kind.name().toLowerCase(java.util.Locale.ROOT);
        String expected = t == null ? "the sender has no " + k + " track" : "the " + k + " track was built for " + t.codecName;
        IllegalArgumentException e = new IllegalArgumentException("sender '" + name() + "' on session '" + session.name()
                + "': got a " + codec + " " + k + " packet but " + expected + "; the packet is dropped (counted in "
                + "droppedWrongCodec). Build the sender with the codec your encoder produces, or re-encode");
        session.events().execute(() -> session.reportError(e));
    }

    private void fireKeyframeRequest(KeyframeReason reason) {
        for (Consumer<KeyframeReason> l : keyframeListeners) {
            try {
                l.accept(reason);
            } catch (RuntimeException e) {
                log.warn("sender '{}': a keyframe listener threw", name(), e);
            }
        }
    }

    // ------------------------------------------------------------------ counters

    public long videoPacketsSent() {
        return videoSent.get();
    }

    public long audioPacketsSent() {
        return audioSent.get();
    }

    /** Video packets dropped before the first keyframe (or the next one after an overflow). */
    public long droppedWaitingForKeyframe() {
        return discardedCount(DiscardReason.WAITING_FOR_KEYFRAME);
    }

    /** Packets dropped because their track's queue was full. */
    public long droppedOverflow() {
        return discardedCount(DiscardReason.OVERFLOW);
    }

    /** Packets of a codec or kind the sender has no track for. */
    public long droppedWrongCodec() {
        return discardedCount(DiscardReason.UNSUPPORTED);
    }

    /** Packets dropped because the session or sender had closed. */
    public long droppedClosed() {
        return discardedCount(DiscardReason.CLOSED);
    }

    /** PLI/FIR requests that arrived from the peer. */
    public long keyframeRequestsFromPeer() {
        return peerRequests.get();
    }

    /** Packets waiting in the video queue (0 without a video track). */
    public long videoQueued() {
        return video == null ? 0 : video.queued();
    }

    // ------------------------------------------------------------------ session side

    void awaitCaps(long deadlineNanos) {
        for (SendTrack t : tracks()) {
            t.awaitCaps(deadlineNanos);
        }
    }

    /** Throws when {@code sections} (an answer) accept none of a track's codec: see {@link CodecAgreement}. */
    void requireAccepted(List<Sdp.Section> sections, List<Sdp.Section> offer, String what) {
        for (SendTrack t : tracks()) {
            CodecAgreement.require(session.name(), name(), t.kind, t.codecName, sections, offer, what);
        }
    }

    private List<SendTrack> tracks() {
        List<SendTrack> l = new ArrayList<>(2);
        if (video != null) {
            l.add(video);
        }
        if (audio != null) {
            l.add(audio);
        }
        return l;
    }

    /**
     * Event thread: the transport is up. What was queued before it may have been lost (nothing is
     * sent before DTLS completes), so the video restarts at the next keyframe, asked for now.
     */
    void transportConnected() {
        if (video == null) {
            return;
        }
        gate.restart();
        fireKeyframeRequest(KeyframeReason.WAITING_FOR_KEYFRAME);
    }

    /** Any thread: the session is closing; a negotiation waiting for this sender's first packets gives up. */
    void abortWaits() {
        for (SendTrack t : tracks()) {
            t.abortWait(session.name());
        }
    }

    void stopPushing() {
        stopped = true;
    }

    void released() {
        stopped = true;
    }

    /** Stops sending; later {@link #send} calls throw. The tracks leave with the session. Idempotent. */
    @Override
    public void close() {
        closedByUser = true;
        stopped = true;
    }

    @Override
    public String toString() {
        return "EncodedTrackSender('" + name() + "' on '" + session.name() + "', " + tracks() + ")";
    }

    /** Builds an {@link EncodedTrackSender}: at least one of video and audio. */
    public static final class Builder {
        private final EncodedPeerSession session;
        private final String name;
        private VideoCodec videoCodec;
        private AudioCodec audioCodec;
        private int channels = 2;
        private int queueLimit = 150;

        Builder(EncodedPeerSession session, String name) {
            this.session = session;
            this.name = name;
        }

        /** A video track of this codec (H264, VP8 or VP9). */
        public Builder video(VideoCodec codec) {
            Codecs.send(codec); // refuses AV1 now rather than at build
            this.videoCodec = codec;
            return this;
        }

        /** An Opus audio track; {@code channels} as the encoder produces them (1 or 2). */
        public Builder audio(AudioCodec codec, int channels) {
            if (channels != 1 && channels != 2) {
                throw new IllegalArgumentException("Opus over WebRTC carries 1 or 2 channels, not " + channels);
            }
            Codecs.send(codec, channels);
            this.audioCodec = codec;
            this.channels = channels;
            return this;
        }

        /** An Opus audio track, stereo. */
        public Builder audio(AudioCodec codec) {
            return audio(codec, 2);
        }

        /** Packets each track may hold before its overflow policy applies (default 150, ~2 s of 30 fps video + Opus). */
        public Builder queueLimit(int packets) {
            if (packets < 2) {
                throw new IllegalArgumentException("queue limit must be at least 2 packets, was " + packets);
            }
            this.queueLimit = packets;
            return this;
        }

        public EncodedTrackSender build() {
            if (videoCodec == null && audioCodec == null) {
                throw new IllegalStateException("sender '" + name + "' needs a video or an audio track: call video(...) or audio(...)");
            }
            session.requireOpen("add sender '" + name + "'");
            EncodedTrackSender s = new EncodedTrackSender(this);
            session.addSender(s);
            return s;
        }
    }
}
