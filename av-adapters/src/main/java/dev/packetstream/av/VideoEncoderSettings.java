package dev.packetstream.av;

import dev.packetstream.core.media.VideoCodec;
import java.util.Objects;

/**
 * How to encode video: codec, the FFmpeg encoder chosen by name, bitrate, frame rate, keyframe
 * interval and where parameter sets go. Immutable; made by {@link #builder(VideoCodec)}.
 *
 * <h2>Encoders</h2>
 * Encoders are always chosen by name, never by codec id (FFmpeg's default for an id can be a
 * hardware encoder): H.264 uses {@code libx264} when the FFmpeg build has it (Maven profile
 * {@code gpl}) and {@code libopenh264} otherwise; VP8 uses {@code libvpx}, VP9
 * {@code libvpx-vp9}, AV1 {@code libsvtav1}. {@link Builder#encoder(String)} overrides the choice.
 */
public final class VideoEncoderSettings {
    private final VideoCodec codec;
    private final String encoder;
    private final long bitrate;
    private final int fps;
    private final int keyframeInterval;
    private final ParameterSets parameterSets;
    private final int threads;

    private VideoEncoderSettings(Builder b) {
        this.codec = b.codec;
        this.encoder = b.encoder != null ? b.encoder : defaultEncoder(b.codec);
        this.bitrate = b.bitrate;
        this.fps = b.fps;
        this.keyframeInterval = b.keyframeInterval > 0 ? b.keyframeInterval : b.fps;
        this.parameterSets = b.parameterSets;
        this.threads = b.threads > 0 ? b.threads : this.encoder.equals("libvpx") ? 1 : 2;
    }

    /** Settings for {@code codec} with defaults: 2 Mbit/s, 30 fps, a keyframe every second, in-band parameter sets. */
    public static Builder builder(VideoCodec codec) {
        return new Builder(codec);
    }

    /** The FFmpeg encoder this build uses for {@code codec} by default. */
    public static String defaultEncoder(VideoCodec codec) {
        return switch (Objects.requireNonNull(codec, "codec")) {
            case H264 -> Ffmpeg.encoder("libx264") != null ? "libx264" : "libopenh264";
            case VP8 -> "libvpx";
            case VP9 -> "libvpx-vp9";
            case AV1 -> "libsvtav1";
        };
    }

    /** The names of every encoder (video and audio) in this FFmpeg build, e.g. to check for {@code libx264}. */
    public static java.util.List<String> availableEncoders() {
        return Ffmpeg.encoderNames();
    }

    public VideoCodec codec() {
        return codec;
    }

    /** The FFmpeg encoder's name, e.g. {@code libopenh264}. */
    public String encoder() {
        return encoder;
    }

    /** Target bitrate in bit/s. */
    public long bitrate() {
        return bitrate;
    }

    /** The nominal frame rate (rate control; timestamps come from the frames). */
    public int fps() {
        return fps;
    }

    /** Frames between keyframes. */
    public int keyframeInterval() {
        return keyframeInterval;
    }

    public ParameterSets parameterSets() {
        return parameterSets;
    }

    /** Encoder threads. */
    public int threads() {
        return threads;
    }

    /** A copy with another parameter-set placement (muxers need {@link ParameterSets#EXTRADATA}). */
    VideoEncoderSettings withParameterSets(ParameterSets p) {
        Builder b = new Builder(codec).encoder(encoder).bitrate(bitrate).fps(fps).keyframeInterval(keyframeInterval)
                .parameterSets(p).threads(threads);
        return b.build();
    }

    @Override
    public String toString() {
        return codec + " via " + encoder + " " + bitrate / 1000 + " kbit/s " + fps + " fps key every " + keyframeInterval
                + " " + parameterSets;
    }

    /** Builds {@link VideoEncoderSettings}. */
    public static final class Builder {
        private final VideoCodec codec;
        private String encoder;
        private long bitrate = 2_000_000;
        private int fps = 30;
        private int keyframeInterval;
        private ParameterSets parameterSets = ParameterSets.IN_BAND;
        private int threads;

        private Builder(VideoCodec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
        }

        /** The FFmpeg encoder by name, e.g. {@code libx264}, {@code libopenh264}, {@code libvpx}. */
        public Builder encoder(String name) {
            this.encoder = Objects.requireNonNull(name, "encoder name");
            return this;
        }

        /** Target bitrate in bit/s (positive). */
        public Builder bitrate(long bitsPerSecond) {
            this.bitrate = SettingsChecks.bitrate(bitsPerSecond);
            return this;
        }

        /** Nominal frames per second (1..240). */
        public Builder fps(int fps) {
            this.fps = SettingsChecks.fps(fps);
            return this;
        }

        /** Frames between keyframes; default one second's worth. */
        public Builder keyframeInterval(int frames) {
            if (frames < 1) {
                throw new IllegalArgumentException("keyframe interval must be at least 1 frame, was " + frames);
            }
            this.keyframeInterval = frames;
            return this;
        }

        public Builder parameterSets(ParameterSets p) {
            this.parameterSets = Objects.requireNonNull(p, "parameterSets");
            return this;
        }

        /**
         * Encoder threads (1..16). Default 2, except 1 for {@code libvpx} (VP8): its row threads wait
         * for each other by spinning, which collapses when the machine is oversubscribed (measured
         * 9 frames/s at 640x480 with a load of 15 on 2 cores, against 500+ on a quiet machine).
         */
        public Builder threads(int threads) {
            this.threads = SettingsChecks.inRange("threads", threads, 1, 16, "");
            return this;
        }

        public VideoEncoderSettings build() {
            return new VideoEncoderSettings(this);
        }
    }
}
