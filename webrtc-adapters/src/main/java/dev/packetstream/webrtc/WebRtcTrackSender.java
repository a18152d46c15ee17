package dev.packetstream.webrtc;

import dev.onvoid.webrtc.RTCRtpEncodingParameters;
import dev.onvoid.webrtc.RTCRtpSendParameters;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.packetstream.core.DiscardReason;
import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketProcessor;
import dev.packetstream.core.Retention;
import dev.packetstream.core.media.RawAudioFrame;
import dev.packetstream.core.media.RawVideoFrame;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A processor that sends raw media on a {@link PeerSession}: {@link RawVideoFrame}s (I420) to a
 * libwebrtc video track, {@link RawAudioFrame}s (16-bit PCM) to an audio track; then passes each
 * packet on unchanged, so a probe or recorder can follow it.
 * libwebrtc encodes (codec per {@link PeerSessionConfig#videoCodecs()}; bitrate and frame rate
 * caps per {@link Builder#maxBitrate} / {@link Builder#maxFramerate}).
 *
 * <pre>{@code
 * WebRtcTrackSender sender = session.newSender("cam").video(true).audio(true)
 *         .maxBitrate(2_000_000).maxFramerate(30).build();
 * stream.attachSource(capture, AttachOption.SYNC_STATE);
 * stream.attach(sender, 30);
 * session.negotiate();
 * }</pre>
 *
 * <h2>Ownership</h2>
 * {@link Retention#BORROWED}: a video frame is copied once, during the call, into a fresh native
 * {@code NativeI420Buffer} (honouring both sides' strides), pushed, and the native frame released;
 * an audio frame's PCM is copied into the runtime's audio queue. Nothing is kept after the call.
 *
 * <h2>Audio</h2>
 * Audio is not pushed: the runtime's headless audio module pulls it in 10 ms chunks from a
 * bounded, drift-tolerant queue ({@code AudioPullQueue}: any frame size, rate and channel count in;
 * mono 48 kHz out). One audio sender per runtime (see {@link RtcRuntime}).
 *
 * <h2>Threads</h2>
 * {@code process} runs on the stream's thread and may be called from several threads; pushes are
 * serialised with {@link #close()} so that a source is never disposed under a push.
 *
 * <h2>Counters and closed senders</h2>
 * {@link #framesSent()}, {@link #audioFramesSent()}, {@link #framesRateLimited()} (left out to
 * keep under {@link Builder#maxFramerate}) and {@link #framesDropped()}. After the
 * <em>session</em> closes (a bye, the runtime closing) packets are dropped, counted and still
 * passed on: a remote hang-up does not fail the local pipeline. After the <em>sender</em> itself was
 * closed by {@link #close()}, {@code process} throws {@link IllegalStateException}.
 */
public final class WebRtcTrackSender extends PacketProcessor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebRtcTrackSender.class);

    private final PeerSession session;
    private final Object pushLock = new Object();
    private CustomVideoSource videoSource; // set once, in the constructor
    private VideoTrack videoTrack;
    private RTCRtpSender videoRtpSender;
    private AudioTrack audioTrack;
    private AudioPullQueue audioQueue;
    private boolean pushing = true;
    private boolean sourcesDisposed;
    private volatile boolean closedByUser;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong audioSent = new AtomicLong();
    /** Frame-rate cap enforced here: libwebrtc's CustomVideoSource ignores the encoder's fps wish. */
    private volatile double maxFramerate;
    private long nextDueUs = Long.MIN_VALUE; // guarded by pushLock

    private WebRtcTrackSender(Builder b) {
        super(b.name, Retention.BORROWED);
        this.session = b.session;
        String id = session.name() + "-" + b.name;
        try {
            addTracks(b, id);
        } catch (Exception e) { // the JNI layer throws undeclared checked exceptions
            stopPushing();
            throw e instanceof RuntimeException re ? re
                    : new RtcException("sender '" + b.name + "' of session '" + session.name() + "': libwebrtc refused its track: " + e, e);
        }
        session.addSender(this);
        if (videoRtpSender != null && (b.minBitrate > 0 || b.maxBitrate > 0 || b.maxFramerate > 0)) {
            setVideoLimits(b.minBitrate, b.maxBitrate, b.maxFramerate);
        }
    }

    private void addTracks(Builder b, String id) {
        if (b.video) {
            videoSource = new CustomVideoSource();
            videoTrack = session.runtime().factory().createVideoTrack(id + "-video", videoSource);
            videoRtpSender = session.peerConnection().addTrack(videoTrack, List.of(id));
        } else {
            videoSource = null;
            videoTrack = null;
            videoRtpSender = null;
        }
        if (b.audio) {
            audioQueue = session.runtime().claimAudio(this, "sender '" + b.name + "' of session '" + session.name() + "'");
            audioTrack = session.newLocalAudioTrack(id + "-audio");
            session.peerConnection().addTrack(audioTrack, List.of(id));
        } else {
            audioQueue = null;
            audioTrack = null;
        }
    }

    /** Configures a sender; made by {@link PeerSession#newSender(String)}. */
    public static final class Builder {
        private final PeerSession session;
        private final String name;
        private boolean video;
        private boolean audio;
        private int minBitrate;
        private int maxBitrate;
        private double maxFramerate;

        Builder(PeerSession session, String name) {
            this.session = session;
            this.name = name;
        }

        /** Sends {@link RawVideoFrame}s. */
        public Builder video(boolean on) {
            this.video = on;
            return this;
        }

        /** Sends {@link RawAudioFrame}s (one audio sender per runtime). */
        public Builder audio(boolean on) {
            this.audio = on;
            return this;
        }

        /** Caps the video encoder's bitrate, in bits per second (0: libwebrtc decides). */
        public Builder maxBitrate(int bitsPerSecond) {
            this.maxBitrate = bitsPerSecond;
            return this;
        }

        /**
         * Gives the video encoder at least this bitrate, in bits per second, even while the
         * bandwidth estimate is still ramping up (0: libwebrtc decides). In the first second of a
         * call the estimate starts near 300 kbps, and an encoder at 720p then skips frames
         * (quality limitation "bandwidth"); a floor avoids that on links known to be good.
         */
        public Builder minBitrate(int bitsPerSecond) {
            this.minBitrate = bitsPerSecond;
            return this;
        }

        /**
         * Caps the frame rate (0: as pushed). Set on the RTP sender's parameters and enforced by
         * this sender too, by the frames' timestamps: libwebrtc's {@code CustomVideoSource} does
         * not adapt to the encoder's wishes, so without it the cap is only loosely kept.
         */
        public Builder maxFramerate(double fps) {
            this.maxFramerate = fps;
            return this;
        }

        /** Adds the tracks to the session's peer connection. Negotiate afterwards. */
        public WebRtcTrackSender build() {
            if (!video && !audio) {
                throw new IllegalArgumentException("sender '" + name + "' of session '" + session.name()
                        + "' sends nothing: call video(true) and/or audio(true)");
            }
            return new WebRtcTrackSender(this);
        }
    }

    /**
     * Sets the video encoding's caps through the RTP sender's parameters (effective immediately,
     * also after negotiation). 0 leaves a value unset.
     *
     * @param minBitrateBps floor of the encoder's target bitrate (see {@link Builder#minBitrate})
     * @param maxBitrateBps cap of the encoder's bitrate
     * @param maxFramerate  cap of the encoded frame rate
     */
    public void setVideoLimits(int minBitrateBps, int maxBitrateBps, double maxFramerate) {
        if (videoRtpSender == null) {
            throw new IllegalStateException("sender '" + name() + "' has no video track: build it with video(true)");
        }
        RTCRtpSendParameters p = videoRtpSender.getParameters();
        if (p.encodings == null || p.encodings.isEmpty()) {
            throw new RtcException("sender '" + name() + "' of session '" + session.name() + "': libwebrtc reports no encodings to limit");
        }
        for (RTCRtpEncodingParameters e : p.encodings) {
            e.minBitrate = minBitrateBps > 0 ? minBitrateBps : null;
            e.maxBitrate = maxBitrateBps > 0 ? maxBitrateBps : null;
            e.maxFramerate = maxFramerate > 0 ? maxFramerate : null;
        }
        videoRtpSender.setParameters(p);
        this.maxFramerate = maxFramerate;
    }

    @Override
    public boolean accepts(Packet packet) {
        return packet instanceof RawVideoFrame && videoSource != null || packet instanceof RawAudioFrame && audioQueue != null;
    }

    @Override
    public void process(Packet packet) {
        if (closedByUser) {
            throw new IllegalStateException("sender '" + name() + "' of session '" + session.name()
                    + "' is closed; detach it from the stream before closing it, or stop the stream first");
        }
        if (packet instanceof RawVideoFrame f) {
            if (pushVideo(f)) {
                sent.incrementAndGet();
            }
        } else if (packet instanceof RawAudioFrame a) {
            synchronized (pushLock) {
                if (pushing) {
                    audioQueue.write(a);
                    audioSent.incrementAndGet();
                } else {
                    discard(packet, DiscardReason.CLOSED);
                }
            }
        }
        emit(packet);
    }

    private boolean pushVideo(RawVideoFrame f) {
        synchronized (pushLock) {
            if (!pushing) {
                discard(f, DiscardReason.CLOSED);
                return false;
            }
            if (!dueForRate(f.timestampUs())) {
                discard(f, DiscardReason.RATE_LIMITED);
                return false;
            }
            NativeI420Buffer buffer = NativeI420Buffer.allocate(f.width(), f.height());
            VideoFrame frame = new VideoFrame(buffer, f.timestampUs() * 1000);
            try {
                f.copyTo(buffer.getDataY(), buffer.getStrideY(), buffer.getDataU(), buffer.getStrideU(),
                        buffer.getDataV(), buffer.getStrideV());
                videoSource.pushFrame(frame);
            } finally {
                frame.release(); // else native frames leak: about 39 MB/s at 720p30, measured
            }
            return true;
        }
    }

    /**
     * Whether a frame with this timestamp fits under the frame-rate cap (by the frames' own
     * timestamps, with a quarter-interval tolerance; a timestamp going backwards restarts).
     */
    private boolean dueForRate(long tsUs) {
        double fps = maxFramerate;
        if (fps <= 0) {
            return true;
        }
        long interval = (long) (1_000_000 / fps);
        if (nextDueUs != Long.MIN_VALUE && tsUs >= nextDueUs - 2 * interval && tsUs < nextDueUs - interval / 4) {
            return false;
        }
        nextDueUs = (nextDueUs == Long.MIN_VALUE || tsUs >= nextDueUs + interval || tsUs < nextDueUs - 2 * interval
                ? tsUs : nextDueUs) + interval;
        return true;
    }

    /** Frames left out to keep under {@link Builder#maxFramerate} (by the frames' timestamps). */
    public long framesRateLimited() {
        return discardedCount(DiscardReason.RATE_LIMITED);
    }

    /** Video frames handed to libwebrtc. */
    public long framesSent() {
        return sent.get();
    }

    /** Audio frames written to the runtime's audio queue. */
    public long audioFramesSent() {
        return audioSent.get();
    }

    /** Frames (video and audio) dropped because the session had closed. */
    public long framesDropped() {
        return discardedCount(DiscardReason.CLOSED);
    }

    /** The session this sender belongs to. */
    public PeerSession session() {
        return session;
    }

    /**
     * Stops sending: later packets make {@code process} throw. The tracks stay on the peer
     * connection (libwebrtc forbids disposing them) until the session closes. Idempotent.
     */
    @Override
    public void close() {
        if (closedByUser) {
            return;
        }
        closedByUser = true;
        stopPushing();
    }

    @Override
    protected void onClose() {
        close();
    }

    /** Session teardown, step 1: no more pushes. */
    void stopPushing() {
        synchronized (pushLock) {
            pushing = false;
        }
        if (audioQueue != null) {
            session.runtime().releaseAudio(this);
        }
    }

    /** Session teardown, after the peer connection closed: dispose the custom video source. */
    void disposeSources() {
        synchronized (pushLock) {
            if (sourcesDisposed) {
                return;
            }
            sourcesDisposed = true;
            if (videoSource != null) {
                try {
                    videoSource.dispose();
                } catch (RuntimeException | Error e) {
                    log.warn("sender '{}': disposing the video source failed", name(), e);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "WebRtcTrackSender('" + name() + "' on '" + session.name() + "', video " + (videoSource != null)
                + ", audio " + (audioQueue != null) + ")";
    }
}
