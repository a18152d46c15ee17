package dev.packetstream.av;

import dev.packetstream.core.media.AudioCodec;
import java.util.Objects;

/**
 * How to encode audio: codec, FFmpeg encoder by name ({@code libopus} for Opus, {@code aac} for
 * AAC), bitrate, sample rate and channels of the encoded stream. Input of any rate and channel
 * count is resampled to these. Immutable; made by {@link #builder(AudioCodec)}.
 */
public final class AudioEncoderSettings {
    private final AudioCodec codec;
    private final String encoder;
    private final long bitrate;
    private final int sampleRate;
    private final int channels;

    private AudioEncoderSettings(Builder b) {
        this.codec = b.codec;
        this.encoder = b.encoder != null ? b.encoder : defaultEncoder(b.codec);
        this.bitrate = b.bitrate;
        this.sampleRate = b.codec == AudioCodec.OPUS ? 48_000 : b.sampleRate;
        this.channels = b.channels;
    }

    /** Settings for {@code codec}: 96 kbit/s, 48 kHz, stereo. Opus always encodes at 48 kHz. */
    public static Builder builder(AudioCodec codec) {
        return new Builder(codec);
    }

    /** The FFmpeg encoder used for {@code codec} by default. */
    public static String defaultEncoder(AudioCodec codec) {
        return switch (Objects.requireNonNull(codec, "codec")) {
            case OPUS -> "libopus";
            case AAC -> "aac";
            case PCM_S16LE -> "pcm_s16le";
        };
    }

    public AudioCodec codec() {
        return codec;
    }

    public String encoder() {
        return encoder;
    }

    public long bitrate() {
        return bitrate;
    }

    public int sampleRate() {
        return sampleRate;
    }

    public int channels() {
        return channels;
    }

    @Override
    public String toString() {
        return codec + " via " + encoder + " " + bitrate / 1000 + " kbit/s " + sampleRate + " Hz " + channels + " ch";
    }

    /** Builds {@link AudioEncoderSettings}. */
    public static final class Builder {
        private final AudioCodec codec;
        private String encoder;
        private long bitrate = 96_000;
        private int sampleRate = 48_000;
        private int channels = 2;

        private Builder(AudioCodec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
        }

        public Builder encoder(String name) {
            this.encoder = Objects.requireNonNull(name, "encoder name");
            return this;
        }

        public Builder bitrate(long bitsPerSecond) {
            this.bitrate = SettingsChecks.bitrate(bitsPerSecond);
            return this;
        }

        /** The encoded sample rate (ignored for Opus, which is 48 kHz). */
        public Builder sampleRate(int hz) {
            this.sampleRate = SettingsChecks.inRange("sample rate", hz, 8000, 96_000, " Hz");
            return this;
        }

        /** 1 or 2. */
        public Builder channels(int channels) {
            if (channels < 1 || channels > 2) {
                throw new IllegalArgumentException("channels must be 1 or 2, was " + channels);
            }
            this.channels = channels;
            return this;
        }

        public AudioEncoderSettings build() {
            return new AudioEncoderSettings(this);
        }
    }
}
