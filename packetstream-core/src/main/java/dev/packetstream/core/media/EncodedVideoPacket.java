package dev.packetstream.core.media;

import dev.packetstream.core.Packet;
import java.nio.ByteBuffer;

/**
 * One encoded video access unit: codec, keyframe flag, presentation and decode timestamps in
 * microseconds, the coded size, the bytes, and optionally the codec's extradata (for H.264 with
 * global headers: the SPS/PPS a muxer writes into the container; null when parameter sets are
 * in-band).
 *
 * <p>Made owned ({@link #own}) or borrowed ({@link #borrow}); see {@link Packet}. Buffers are
 * shared with the packet: use absolute gets, or {@code duplicate()} them first.
 */
public final class EncodedVideoPacket extends Packet {
    private final VideoCodec codec;
    private final ByteBuffer data;
    private final long ptsUs;
    private final long dtsUs;
    private final int width;
    private final int height;
    private final ByteBuffer extradata;

    private EncodedVideoPacket(VideoCodec codec, ByteBuffer data, boolean keyframe, long ptsUs, long dtsUs,
                               int width, int height, ByteBuffer extradata, boolean borrowed) {
        super(keyframe ? FLAG_KEYFRAME : 0, borrowed);
        if (codec == null) {
            throw new IllegalArgumentException("an encoded video packet needs a codec");
        }
        this.codec = codec;
        this.data = data;
        this.ptsUs = ptsUs;
        this.dtsUs = dtsUs;
        this.width = width;
        this.height = height;
        this.extradata = extradata;
    }

    /** Takes the bytes over: the caller must not change them afterwards. */
    public static EncodedVideoPacket own(VideoCodec codec, byte[] data, boolean keyframe, long ptsUs, long dtsUs,
                                         int width, int height, byte[] extradata) {
        return new EncodedVideoPacket(codec, ByteBuffer.wrap(data), keyframe, ptsUs, dtsUs, width, height,
                extradata == null ? null : ByteBuffer.wrap(extradata), false);
    }

    /** Wraps bytes the caller reuses after the call that lends the packet returns. */
    public static EncodedVideoPacket borrow(VideoCodec codec, ByteBuffer data, boolean keyframe, long ptsUs, long dtsUs,
                                            int width, int height, ByteBuffer extradata) {
        return new EncodedVideoPacket(codec, data.slice(), keyframe, ptsUs, dtsUs, width, height,
                extradata == null ? null : extradata.slice(), true);
    }

    public VideoCodec codec() {
        checkAccess();
        return codec;
    }

    /** Whether decoding can start at this packet. */
    public boolean isKeyframe() {
        return hasFlag(FLAG_KEYFRAME);
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

    /** Decode time in microseconds. */
    public long dtsUs() {
        checkAccess();
        return dtsUs;
    }

    public int width() {
        checkAccess();
        return width;
    }

    public int height() {
        checkAccess();
        return height;
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
    public EncodedVideoPacket copy() {
        checkAccess();
        byte[] x = Buffers.toArrayOrNull(extradata);
        return own(codec, toByteArray(), isKeyframe(), ptsUs, dtsUs, width, height, x);
    }

    @Override
    protected String describeForError() {
        return "EncodedVideoPacket " + codec + " " + data.remaining() + " bytes" + (isKeyframe() ? " key" : "")
                + " pts=" + ptsUs + "us" + (isBorrowed() ? ", borrowed" : "");
    }
}
