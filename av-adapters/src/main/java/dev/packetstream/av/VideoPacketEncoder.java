package dev.packetstream.av;

import dev.packetstream.core.DiscardReason;
import dev.packetstream.core.Retention;
import dev.packetstream.core.media.EncodedVideoPacket;
import dev.packetstream.core.media.RawVideoFrame;
import java.util.Objects;

/**
 * Encodes {@link RawVideoFrame}s (I420) into {@link dev.packetstream.core.media.EncodedVideoPacket}s
 * with FFmpeg: H.264, VP8, VP9 (and AV1), chosen by encoder name (see {@link VideoEncoderSettings}).
 * Packets carry pts and dts in microseconds (the frames' timestamps), the keyframe flag, and, with
 * {@link ParameterSets#EXTRADATA}, the codec's extradata. Other packets pass by.
 *
 * <pre>{@code
 * stream.attach(new VideoPacketEncoder("h264", VideoEncoderSettings.builder(VideoCodec.H264)
 *         .bitrate(2_000_000).fps(30).keyframeInterval(60).build()), 20);
 * }</pre>
 *
 * <h2>Ownership</h2>
 * {@link Retention#BORROWED}: each frame is copied into the encoder's own native frame during the
 * call (one copy). The packets it emits are <em>borrowed</em>: they wrap FFmpeg's packet memory,
 * which is freed when the emit call returns; a stage that keeps one must {@code copy()} it.
 *
 * <h2>Order and lifecycle</h2>
 * The encoder opens on the first frame, whose size it keeps: frames of another size are an error
 * (put a {@link VideoConverter} with a fixed size before it). Frames whose timestamp does not
 * increase are dropped and counted. On stream stop the encoder drains its last packets downstream
 * and closes; a later start opens a new one. {@link #close()} frees it.
 *
 * <h2>Checks</h2>
 * An encoder name missing from this FFmpeg build is refused by the constructor
 * ({@link CodecException} naming it and the build). A frame whose size differs from the first
 * fails the stage with a message that says to put a {@link VideoConverter} first. A frame whose
 * timestamp does not increase is dropped and counted ({@link #droppedNonIncreasing()}). A closed
 * encoder refuses frames.
 *
 * <h2>Threads</h2>
 * {@code process} must not run on two threads at once (put an AsyncPacketQueue before it when
 * several threads write). {@link #requestKeyframe()} may be called from any thread; the next frame
 * is encoded as a keyframe.
 */
public final class VideoPacketEncoder extends EncoderStage<RawVideoFrame, EncodedVideoPacket> {
    private final VideoEncoderSettings settings;
    private final VideoEncoderEngine engine;

    /**
     * @throws CodecException when this FFmpeg build has no encoder of the settings' name
     */
    public VideoPacketEncoder(String name, VideoEncoderSettings settings) {
        super(name, RawVideoFrame.class);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.engine = new VideoEncoderEngine(name, settings, this::discard);
    }

    /** An encoder named after its codec, e.g. {@code "encode-VP8"}. */
    public VideoPacketEncoder(VideoEncoderSettings settings) {
        this("encode-" + settings.codec(), settings);
    }

    public VideoEncoderSettings settings() {
        return settings;
    }

    @Override
    EncoderEngine<RawVideoFrame, EncodedVideoPacket> engine() {
        return engine;
    }

    /** Asks for the next frame to be a keyframe (e.g. a new viewer joined). Any thread. */
    public void requestKeyframe() {
        engine.requestKeyframe();
    }

    /** Copies of frame bytes this stage made (one per encoded frame): for the copies-per-frame figure. */
    public long frameCopies() {
        return engine.framesCopied;
    }

    /** Frames dropped because their timestamp did not increase. */
    public long droppedNonIncreasing() {
        return discardedCount(DiscardReason.OUT_OF_ORDER);
    }
}
