package dev.packetstream.samples.common;

import dev.packetstream.av.AudioEncoderSettings;
import dev.packetstream.av.AudioPacketEncoder;
import dev.packetstream.av.MediaCapture;
import dev.packetstream.av.ParameterSets;
import dev.packetstream.av.VideoConverter;
import dev.packetstream.av.VideoEncoderSettings;
import dev.packetstream.av.VideoPacketEncoder;
import dev.packetstream.core.AttachOption;
import dev.packetstream.core.PacketProcessor;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.media.AudioCodec;
import dev.packetstream.core.media.EncodedVideoPacket;
import dev.packetstream.core.media.VideoCodec;

/**
 * A Java source (camera, test pattern or file) encoded once: one stream whose packets are
 * {@link EncodedVideoPacket}s of {@code codec} and Opus audio, for every viewer at once.
 *
 * <pre>
 * MediaCapture ──► VideoConverter(I420, --size) ──► [ClockStamp] ──► VideoPacketEncoder ──► AudioPacketEncoder(Opus) ──► target
 * </pre>
 *
 * H.264 is encoded with its parameter sets in band (before every keyframe), so any keyframe is a
 * starting point for a viewer; a keyframe is made every 2 s and on {@link #requestKeyframe()}.
 *
 * <h2>Threads</h2>
 * The capture thread runs the whole stream, the target included.
 */
public final class EncodedSource implements AutoCloseable {
    private final PacketStream stream;
    private final MediaCapture capture;
    private final VideoPacketEncoder video;
    private final VideoCodec codec;
    private final String description;
    private final RateMeter frames = new RateMeter();

    /**
     * @param bitrateBps the one encoder's video bitrate, the same for every viewer
     * @param target     where the encoded packets go (the fan-out), attached last
     */
    public EncodedSource(SourceOptions options, VideoCodec codec, long bitrateBps, PacketProcessor target) {
        this.codec = codec;
        this.description = options.describe() + " " + options.size + " " + codec;
        this.capture = options.build();
        this.stream = new PacketStream("source");
        stream.attachSource(capture, AttachOption.SYNC_STATE, AttachOption.CLOSE_WITH_STREAM);
        stream.attach(new VideoConverter("to-size", options.size.width(), options.size.height()), 10, AttachOption.CLOSE_WITH_STREAM);
        if (options.stampClock) {
            stream.attach(new ClockStamp("clock-stamp"), 20);
        }
        this.video = new VideoPacketEncoder("encode-video", VideoEncoderSettings.builder(codec).bitrate(bitrateBps)
                .fps(options.fps).keyframeInterval(2 * options.fps).parameterSets(ParameterSets.IN_BAND).build());
        stream.attach(video, 30, AttachOption.CLOSE_WITH_STREAM);
        if (options.hasAudio()) {
            stream.attach(new AudioPacketEncoder("encode-audio", AudioEncoderSettings.builder(AudioCodec.OPUS).bitrate(64_000)
                    .sampleRate(48_000).channels(2).build()), 31, AttachOption.CLOSE_WITH_STREAM);
        }
        stream.addSink("fps", p -> {
            if (p instanceof EncodedVideoPacket) {
                frames.mark();
            }
        });
        stream.attach(target, 100);
    }

    public PacketStream stream() {
        return stream;
    }

    public VideoCodec codec() {
        return codec;
    }

    public MediaCapture capture() {
        return capture;
    }

    public void start() {
        stream.start();
    }

    /** Asks the encoder for a keyframe (a viewer joined, lost a picture, or its queue overflowed). Any thread. */
    public void requestKeyframe() {
        video.requestKeyframe();
    }

    /** Encoded frames per second since the previous call (status line). */
    public double framesPerSecond() {
        return frames.perSecond();
    }

    public String describe() {
        return description;
    }

    /** Stops the capture and closes the stream with its stages. Idempotent. */
    @Override
    public void close() {
        stream.close();
    }
}
