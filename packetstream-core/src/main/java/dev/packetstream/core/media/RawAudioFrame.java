package dev.packetstream.core.media;

import dev.packetstream.core.Packet;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Raw audio: signed 16-bit little-endian PCM, channels interleaved, with the sample rate, the
 * channel count, the number of samples per channel and a timestamp in microseconds from the
 * source's clock.
 *
 * <p>Made owned ({@link #own}, {@link #copyOf}), borrowed ({@link #borrow}) or reference counted
 * ({@link #wrapRetained}); see {@link Packet}. The data buffer is shared with the frame: use
 * absolute gets, or {@code duplicate()} it first.
 */
public final class RawAudioFrame extends Packet {
    private final ByteBuffer data;
    private final int sampleRate;
    private final int channels;
    private final int samples;
    private final long timestampUs;

    private RawAudioFrame(ByteBuffer data, int sampleRate, int channels, int samples, long timestampUs,
                          boolean borrowed, Runnable deallocator) {
        super(0, borrowed, deallocator);
        this.data = data.order(ByteOrder.LITTLE_ENDIAN);
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.samples = samples;
        this.timestampUs = timestampUs;
        validate();
    }

    private void validate() {
        if (sampleRate <= 0 || channels <= 0 || samples < 0) {
            throw new IllegalArgumentException("audio needs a positive rate and channel count and samples >= 0, was "
                    + sampleRate + " Hz, " + channels + " ch, " + samples + " samples");
        }
        if (data.remaining() < samples * channels * 2) {
            throw new IllegalArgumentException("audio buffer holds " + data.remaining() + " bytes, " + samples
                    + " samples of " + channels + " channels of 16-bit PCM need " + samples * channels * 2);
        }
    }

    /** Wraps PCM the caller reuses after the call that lends the frame returns. */
    public static RawAudioFrame borrow(ByteBuffer pcm, int sampleRate, int channels, int samples, long timestampUs) {
        return new RawAudioFrame(pcm.slice(), sampleRate, channels, samples, timestampUs, true, null);
    }

    /** Takes PCM over: the caller must not change it after emitting the frame. */
    public static RawAudioFrame own(byte[] pcm, int sampleRate, int channels, int samples, long timestampUs) {
        return new RawAudioFrame(ByteBuffer.wrap(pcm), sampleRate, channels, samples, timestampUs, false, null);
    }

    /** An owned frame holding a copy of {@code samples} interleaved samples per channel. */
    public static RawAudioFrame copyOf(short[] interleaved, int sampleRate, int channels, int samples, long timestampUs) {
        ByteBuffer b = ByteBuffer.allocate(samples * channels * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(interleaved, 0, samples * channels);
        return new RawAudioFrame(b, sampleRate, channels, samples, timestampUs, false, null);
    }

    /** Wraps native PCM in a reference-counted frame with one reference, held by the caller. */
    public static RawAudioFrame wrapRetained(ByteBuffer pcm, int sampleRate, int channels, int samples, long timestampUs,
                                             Runnable deallocator) {
        return new RawAudioFrame(pcm.slice(), sampleRate, channels, samples, timestampUs, false, deallocator);
    }

    /** The PCM (shared, little-endian). */
    public ByteBuffer data() {
        checkAccess();
        return data;
    }

    public int sampleRate() {
        checkAccess();
        return sampleRate;
    }

    public int channels() {
        checkAccess();
        return channels;
    }

    /** Samples per channel. */
    public int samples() {
        checkAccess();
        return samples;
    }

    /** The capture time of the first sample, in microseconds. */
    public long timestampUs() {
        checkAccess();
        return timestampUs;
    }

    /** The duration in microseconds. */
    public long durationUs() {
        checkAccess();
        return samples * 1_000_000L / sampleRate;
    }

    /** One sample of one channel. */
    public short sample(int index, int channel) {
        checkAccess();
        return data.getShort(data.position() + (index * channels + channel) * 2);
    }

    /** The PCM as a new interleaved array. */
    public short[] toShortArray() {
        checkAccess();
        short[] out = new short[samples * channels];
        data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(out);
        return out;
    }

    @Override
    public int size() {
        checkAccess();
        return samples * channels * 2;
    }

    @Override
    public RawAudioFrame copy() {
        checkAccess();
        byte[] c = new byte[size()];
        data.duplicate().get(c);
        return new RawAudioFrame(ByteBuffer.wrap(c), sampleRate, channels, samples, timestampUs, false, null);
    }

    @Override
    protected String describeForError() {
        return "RawAudioFrame " + samples + " samples x " + channels + " ch @" + sampleRate + " Hz"
                + (isBorrowed() ? ", borrowed" : isRefCounted() ? ", reference counted" : "");
    }
}
