package dev.packetstream.core.media;

import dev.packetstream.core.Packet;
import java.nio.ByteBuffer;

/**
 * One encoded audio frame: codec, presentation time in microseconds, sample rate, channels,
 * samples per channel it decodes to, the bytes, and optionally the codec's extradata (e.g. the
 * AAC AudioSpecificConfig or the Opus header a muxer needs).
 *
 * <p>Made owned ({@link #own}) or borrowed ({@link #borrow}); see {@link Packet}.
 */
public final class EncodedAudioPacket extends Packet {
    private final AudioCodec codec;
    private final ByteBuffer data;
    private final long ptsUs;
    private final int sampleRate;
    private final int channels;
    private final int samples;
    private final ByteBuffer extradata;

    private EncodedAudioPacket(AudioCodec codec, ByteBuffer data, long ptsUs, int sampleRate, int channels, int samples,
                               ByteBuffer extradata, boolean borrowed) {
        super(0, borrowed);
        if (codec == null) {
            throw new IllegalArgumentException("an encoded audio packet needs a codec");
        }
        this.codec = codec;
        this.data = data;
        this.ptsUs = ptsUs;
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.samples = samples;
        this.extradata = extradata;
    }

    /** Takes the bytes over: the caller must not change them afterwards. */
    public static EncodedAudioPacket own(AudioCodec codec, byte[] data, long ptsUs, int sampleRate, int channels,
                                         int samples, byte[] extradata) {
        return new EncodedAudioPacket(codec, ByteBuffer.wrap(data), ptsUs, sampleRate, channels, samples,
                extradata == null ? null : ByteBuffer.wrap(extradata), false);
    }

    /** Wraps bytes the caller reuses after the call that lends the packet returns. */
    public static EncodedAudioPacket borrow(AudioCodec codec, ByteBuffer data, long ptsUs, int sampleRate, int channels,
                                            int samples, ByteBuffer extradata) {
        return new EncodedAudioPacket(codec, data.slice(), ptsUs, sampleRate, channels, samples,
                extradata == null ? null : extradata.slice(), true);
    }

    public AudioCodec codec() {
        checkAccess();
        return codec;
    }

    /** The bytes (shared). */
    public ByteBuffer data() {
        checkAccess();
        return data;
    }

    /** The bytes as a new array. */
    public byte[] toByteArray() {
        checkAccess();
        return Buffers.toArray(data);
    }

    /** Presentation time in microseconds. */
    public long ptsUs() {
        checkAccess();
        return ptsUs;
    }

    public int sampleRate() {
        checkAccess();
        return sampleRate;
    }

    public int channels() {
        checkAccess();
        return channels;
    }

    /** Samples per channel this frame decodes to. */
    public int samples() {
        checkAccess();
        return samples;
    }

    /** The codec's extradata (shared), or null. */
    public ByteBuffer extradata() {
        checkAccess();
        return extradata;
    }

    @Override
    public int size() {
        checkAccess();
        return data.remaining();
    }

    @Override
    public EncodedAudioPacket copy() {
        checkAccess();
        byte[] x = Buffers.toArrayOrNull(extradata);
        return own(codec, toByteArray(), ptsUs, sampleRate, channels, samples, x);
    }

    @Override
    protected String describeForError() {
        return "EncodedAudioPacket " + codec + " " + data.remaining() + " bytes pts=" + ptsUs + "us"
                + (isBorrowed() ? ", borrowed" : "");
    }
}
