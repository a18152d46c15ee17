package dev.packetstream.av;

import dev.packetstream.core.DiscardReason;
import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketProcessor;
import dev.packetstream.core.Retention;
import dev.packetstream.core.media.EncodedAudioPacket;
import dev.packetstream.core.media.EncodedVideoPacket;
import dev.packetstream.core.media.FrameSize;
import dev.packetstream.core.media.RawAudioFrame;
import dev.packetstream.core.media.RawVideoFrame;
import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recorder: writes a WebM (default), MKV or MP4 file. It takes raw frames
 * ({@link RawVideoFrame}, {@link RawAudioFrame}), which it encodes with the configured settings,
 * or encoded packets ({@link EncodedVideoPacket}, {@link EncodedAudioPacket}), which it muxes as
 * they are (no re-encoding). Other packets pass by; nothing is emitted.
 *
 * <pre>{@code
 * MultiplexPacketEncoder recorder = MultiplexPacketEncoder.builder(Path.of("out.webm")).build();  // VP8 + Opus
 * MultiplexPacketEncoder mp4 = MultiplexPacketEncoder.builder(Path.of("out.mp4"))
 *         .container(Container.MP4).build();                                                     // H.264 + AAC
 * stream.attach(recorder, 50);
 * }</pre>
 *
 * <h2>Order</h2>
 * The file starts at the first video keyframe: earlier video packets are dropped, and audio before
 * that instant too, so both tracks start together at zero. The header is written once the first
 * video keyframe and the first audio packet have arrived (packets wait, copied, until then; a track
 * that has not shown up within 3 s of media is left out). Audio and video are interleaved by
 * timestamp by FFmpeg's interleaver, holding at most 1 s. On stream stop the encoders drain, the
 * last packets are written and the trailer makes the file complete.
 *
 * <h2>Timestamps: one clock, audio on it</h2>
 * Both tracks' timestamps must come from one clock (a WebRTC receiver stamps both on this
 * process's monotonic clock; a file or capture source on its own media clock); the file's time
 * zero is the first video keyframe. Video is written at its timestamps. Audio in a file is a
 * continuous run of samples, so audio is placed by one rule whether it arrives raw or encoded:
 * back-to-back while its timestamps agree with the samples within 5 ms; raw audio that drifts
 * further is stretched or squeezed (up to 20 ms off, at most 2%), and beyond that gets silence
 * in a gap or loses the overlapping samples; an encoded packet more than 5 ms off is written at
 * its own timestamp (leaving a gap) or, overlapping, dropped. Every such correction is counted
 * ({@link #audioTiming()}), so lip sync follows the timestamps and no audio is lost unseen.
 *
 * <h2>Size</h2>
 * Raw video is recorded at {@link Builder#videoSize} or, by default, at the first frame's size:
 * later frames of another size (a WebRTC sender adapting its resolution) are scaled to it, at the
 * cost of one conversion each ({@link #scaledFrames()}).
 *
 * <h2>Crash safety</h2>
 * MKV and WebM are written in clusters of at most 1 s, MP4 as fragments (one per keyframe), and
 * every packet is flushed to the file: after a crash the file is readable up to the last one or
 * two seconds.
 *
 * <h2>Checks</h2>
 * An output that cannot be opened (missing directory, no permission) fails at stream start with a
 * {@link RecordingException} naming the path. A write error (disk full) fails the stage with a
 * {@link RecordingException}; what was written before stays readable. A codec the container cannot
 * carry is refused at build time (raw input) or at the first packet (encoded input).
 *
 * <h2>Ownership and threads</h2>
 * {@link Retention#CLONED}: packets waiting for the header are copies; everything else is copied
 * into FFmpeg's packets during the call. Calls are serialised internally, so audio and video may
 * arrive on different threads (e.g. a WebRTC receiver's video and audio threads); each track's
 * packets must arrive in timestamp order. {@link #close()} may be called from any thread.
 */
public final class MultiplexPacketEncoder extends PacketProcessor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MultiplexPacketEncoder.class);

    private final Path path;
    private final Container container;
    private final VideoEncoderSettings videoSettings;
    private final AudioEncoderSettings audioSettings;
    private final boolean expectVideo;
    private final boolean expectAudio;

    private final VideoEncoderEngine videoEngine;
    private final AudioEncoderEngine audioEngine;
    private final Muxer muxer;
    private final StartGate gate;
    private final RecordingScaler scaler;
    private boolean closed;

    private final TrackWriter tracks;

    private MultiplexPacketEncoder(Builder b) {
        super(b.name != null ? b.name : "record-" + b.container.extension(), Retention.CLONED);
        this.path = b.path;
        this.container = b.container;
        this.videoSettings = b.video.withParameterSets(ParameterSets.EXTRADATA);
        this.audioSettings = b.audio;
        this.expectVideo = b.withVideo;
        this.expectAudio = b.withAudio;
        if (expectVideo && !container.carries(videoSettings.codec())) {
            throw new IllegalArgumentException("recorder '" + name() + "': " + container + " cannot carry " + videoSettings.codec()
                    + " video; use " + container.defaultVideoCodec() + " or another container");
        }
        if (expectAudio && !container.carries(audioSettings.codec())) {
            throw new IllegalArgumentException("recorder '" + name() + "': " + container + " cannot carry " + audioSettings.codec()
                    + " audio; use " + container.defaultAudioCodec() + " or another container");
        }
        this.videoEngine = expectVideo ? new VideoEncoderEngine(name(), videoSettings, this::discard) : null;
        this.audioEngine = expectAudio ? new AudioEncoderEngine(name(), audioSettings) : null;
        this.muxer = new Muxer(name(), path, container);
        this.gate = new StartGate(expectVideo, expectAudio);
        this.scaler = new RecordingScaler(name(), b.width, b.height);
        this.tracks = new TrackWriter(muxer, this::discard);
    }

    /** A recorder to {@code path}; the container follows the extension ({@code .mp4}, {@code .mkv}, else WebM). */
    public static Builder builder(Path path) {
        return new Builder(path);
    }

    @Override
    public boolean accepts(Packet packet) {
        return packet instanceof RawVideoFrame || packet instanceof RawAudioFrame
                || packet instanceof EncodedVideoPacket || packet instanceof EncodedAudioPacket;
    }

    @Override
    protected synchronized void onStart() {
        if (closed) {
            throw new IllegalStateException("recorder '" + name() + "' is closed; build a new one for '" + path + "'");
        }
        openOutput();
    }

    @Override
    public synchronized void process(Packet packet) {
        if (closed) {
            throw new IllegalStateException("recorder '" + name() + "' is closed; build a new one for '" + path + "'");
        }
        if (!muxer.isOpen()) {
            openOutput(); // started again after a stop
        }
        if (packet instanceof RawVideoFrame f) {
            if (!expectVideo) {
                discard(packet, DiscardReason.UNSUPPORTED);
                return;
            }
            videoEngine.encode(toRecordingSize(f), this::muxVideo);
        } else if (packet instanceof RawAudioFrame f) {
            if (!expectAudio) {
                discard(packet, DiscardReason.UNSUPPORTED);
                return;
            }
            audioEngine.encode(f, this::muxAudio);
        } else if (packet instanceof EncodedVideoPacket p) {
            muxVideo(p);
        } else if (packet instanceof EncodedAudioPacket p) {
            muxAudio(p);
        }
    }

    /** Raw frames are scaled to the recording's size: the configured one, else the first frame's. */
    private RawVideoFrame toRecordingSize(RawVideoFrame f) {
        return scaler.toRecordingSize(f, videoEngine);
    }

    private void muxVideo(EncodedVideoPacket p) {
        if (!expectVideo) {
            discard(p, DiscardReason.UNSUPPORTED);
            return;
        }
        if (gate.isOpen()) {
            tracks.write(p, gate.startUs());
            return;
        }
        if (gate.awaitsVideo() && p.isKeyframe()) {
            muxer.requireCarries(p);
        }
        if (!gate.hold(p)) {
            discard(p, DiscardReason.WAITING_FOR_KEYFRAME);
            return;
        }
        maybeWriteHeader(false);
    }

    private void muxAudio(EncodedAudioPacket p) {
        if (!expectAudio) {
            discard(p, DiscardReason.UNSUPPORTED);
            return;
        }
        if (gate.isOpen()) {
            tracks.write(p, gate.startUs());
            return;
        }
        if (gate.awaitsAudio()) {
            muxer.requireCarries(p);
        }
        gate.hold(p);
        maybeWriteHeader(false);
    }

    /** Writes the header and the packets that waited for it, once the start gate allows. */
    private void maybeWriteHeader(boolean force) {
        if (!gate.ready(force)) {
            return;
        }
        String missing = gate.missingTrack();
        if (missing != null && !force) {
            log.warn("recorder '{}': no {} within {} ms of media; writing '{}' without it", name(),
                    missing, StartGate.MISSING_TRACK_WAIT_US / 1000, path);
        }
        muxer.writeHeader(gate.videoTemplate(), gate.audioTemplate());
        for (Packet p : gate.start()) {
            if (p instanceof EncodedVideoPacket v) {
                tracks.write(v, gate.startUs());
            } else {
                tracks.write((EncodedAudioPacket) p, gate.startUs());
            }
        }
    }

    private void openOutput() {
        muxer.open();
        gate.reset();
    }

    /** Drains the encoders, writes what waits and the trailer, and closes the file. */
    @Override
    protected synchronized void onStop() {
        try {
            if (videoEngine != null && !muxer.failed()) {
                videoEngine.flush(this::muxVideo);
            }
            if (audioEngine != null && !muxer.failed()) {
                audioEngine.flush(this::muxAudio);
            }
            if (muxer.isOpen() && !gate.isOpen() && !muxer.failed()) {
                maybeWriteHeader(true);
            }
            if (muxer.isOpen() && gate.isOpen() && !muxer.failed()) {
                muxer.writeTrailer();
            } else if (muxer.isOpen() && !gate.isOpen()) {
                log.warn("recorder '{}': no media reached it; '{}' is empty", name(), path);
            }
        } finally {
            closeOutput();
        }
    }

    private void closeOutput() {
        muxer.close();
        tracks.reset();
        for (Packet p : gate.drain()) {
            discardHeld(p, DiscardReason.CLOSED); // copies waiting for a header that was never written
        }
    }

    @Override
    protected void onClose() {
        close();
    }

    /** Video packets written. */
    public long videoPacketsWritten() {
        return tracks.videoPackets();
    }

    /** Audio packets written. */
    public long audioPacketsWritten() {
        return tracks.audioPackets();
    }

    /**
     * Packets dropped: before the first keyframe, before the common start, of a track left out, or
     * after a failed write ({@link #discardedCount(DiscardReason)} splits them by reason).
     */
    public long droppedPackets() {
        return discardedCount();
    }

    /**
     * What was done to keep the audio on the timeline: stretched, squeezed, silence inserted, gaps
     * left, samples and packets dropped (see the class comment). Zero while the audio arrives
     * back-to-back.
     */
    public AudioTimingStats audioTiming() {
        EncodedAudioPlacement audioPlacement = tracks.audioPlacement();
        AudioTimingStats raw = audioEngine == null ? new AudioTimingStats(0, 0, 0, 0, 0, 0) : audioEngine.timing();
        return new AudioTimingStats(raw.stretched(), raw.squeezed(), raw.silenceInserted(), audioPlacement.gapSamples(),
                raw.droppedSamples() + audioPlacement.droppedSamples(), audioPlacement.droppedPackets());
    }

    /** Raw frames scaled to the recording's size (a sender changed resolution, or {@link Builder#videoSize}). */
    public long scaledFrames() {
        return scaler.scaledFrames();
    }

    /** The media time (µs from the file's start) of the last packet handed to the muxer, or -1. */
    public long lastWrittenUs() {
        return tracks.lastWrittenUs();
    }

    public Path path() {
        return path;
    }

    public Container container() {
        return container;
    }

    /** Closes the file without a trailer if still open (call stop first for a complete file) and frees the encoders. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        closeOutput();
        if (videoEngine != null) {
            videoEngine.close();
        }
        if (audioEngine != null) {
            audioEngine.close();
        }
        scaler.close();
    }

    /** Builds a {@link MultiplexPacketEncoder}. */
    public static final class Builder {
        private final Path path;
        private Container container;
        private VideoEncoderSettings video;
        private AudioEncoderSettings audio;
        private boolean withVideo = true;
        private boolean withAudio = true;
        private String name;
        private int width;
        private int height;

        private Builder(Path path) {
            this.path = Objects.requireNonNull(path, "path");
            String f = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            this.container = f.endsWith(".mp4") ? Container.MP4 : f.endsWith(".mkv") ? Container.MKV : Container.WEBM;
        }

        public Builder container(Container container) {
            this.container = Objects.requireNonNull(container, "container");
            return this;
        }

        /** How raw video is encoded; default the container's codec at 2 Mbit/s, 30 fps, a keyframe a second. */
        public Builder video(VideoEncoderSettings settings) {
            this.video = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** How raw audio is encoded; default the container's codec at 96 kbit/s, 48 kHz stereo. */
        public Builder audio(AudioEncoderSettings settings) {
            this.audio = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * The size raw video is recorded at (even); frames of another size are scaled to it. Default:
         * the first frame's size, so a source that changes resolution midway is scaled back to it.
         */
        public Builder videoSize(int width, int height) {
            FrameSize size = FrameSize.of("video size", width, height);
            this.width = size.width();
            this.height = size.height();
            return this;
        }

        /** Records no audio track (audio packets are dropped). */
        public Builder withoutAudio() {
            this.withAudio = false;
            return this;
        }

        /** Records no video track. */
        public Builder withoutVideo() {
            this.withVideo = false;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** @throws IllegalArgumentException when the container cannot carry the codecs */
        public MultiplexPacketEncoder build() {
            if (!withVideo && !withAudio) {
                throw new IllegalArgumentException("a recording needs audio or video");
            }
            if (video == null) {
                video = VideoEncoderSettings.builder(container.defaultVideoCodec()).build();
            }
            if (audio == null) {
                audio = AudioEncoderSettings.builder(container.defaultAudioCodec()).build();
            }
            return new MultiplexPacketEncoder(this);
        }
    }
}
