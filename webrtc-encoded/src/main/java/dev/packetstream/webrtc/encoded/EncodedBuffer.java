package dev.packetstream.webrtc.encoded;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import dev.packetstream.core.Packet;
import dev.packetstream.core.media.EncodedAudioPacket;
import dev.packetstream.core.media.EncodedVideoPacket;
import java.nio.ByteBuffer;

/**
 * One encoded packet copied once into a native GstBuffer, with the packet's facts. A fan-out
 * makes it once and hands each viewer a shallow copy (new timestamps, the same memory); a single
 * sender pushes it as it is. Owns one reference to the buffer until {@link #release()} or a push
 * that takes it.
 */
final class EncodedBuffer {
    private static final ThreadLocal<Memory> MAP_INFO = ThreadLocal.withInitial(() -> new Memory(GstApi.MAP_INFO_BYTES));

    final MediaKind kind;
    final String codec;
    final boolean keyframe;
    final long ptsUs;
    final long dtsUs;
    /** Duration in microseconds, or -1 when unknown. */
    final long durationUs;
    private Pointer buffer;
    private final GstApi.Libs libs;

    private EncodedBuffer(GstApi.Libs libs, MediaKind kind, String codec, boolean keyframe, long ptsUs, long dtsUs,
                          long durationUs, Pointer buffer) {
        this.libs = libs;
        this.kind = kind;
        this.codec = codec;
        this.keyframe = keyframe;
        this.ptsUs = ptsUs;
        this.dtsUs = dtsUs;
        this.durationUs = durationUs;
        this.buffer = buffer;
    }

    /** Copies an {@link EncodedVideoPacket} or {@link EncodedAudioPacket}; null for any other packet. */
    static EncodedBuffer of(GstApi.Libs libs, Packet p) {
        if (p instanceof EncodedVideoPacket v) {
            return new EncodedBuffer(libs, MediaKind.VIDEO, v.codec().name(), v.isKeyframe(), v.ptsUs(), v.dtsUs(), -1,
                    copy(libs, v.data()));
        }
        if (p instanceof EncodedAudioPacket a) {
            long d = a.sampleRate() > 0 && a.samples() > 0 ? a.samples() * 1_000_000L / a.sampleRate() : -1;
            return new EncodedBuffer(libs, MediaKind.AUDIO, a.codec().name(), true, a.ptsUs(), a.ptsUs(), d,
                    copy(libs, a.data()));
        }
        return null;
    }

    private static Pointer copy(GstApi.Libs libs, ByteBuffer data) {
        ByteBuffer d = data.duplicate();
        int n = d.remaining();
        Pointer buf = libs.gst().gst_buffer_new_allocate(null, new NativeLong(n), null);
        if (buf == null) {
            throw new OutOfMemoryError("GStreamer could not allocate a buffer of " + n + " bytes");
        }
        if (d.isDirect()) {
            Pointer src = Native.getDirectBufferPointer(d).share(d.position());
            libs.gst().gst_buffer_fill(buf, new NativeLong(0), src, new NativeLong(n));
            return buf;
        }
        Memory info = MAP_INFO.get();
        if (!libs.gst().gst_buffer_map(buf, info, GstApi.MAP_WRITE)) {
            libs.gst().gst_mini_object_unref(buf);
            throw new EncodedRtcException("GStreamer could not map a new buffer for writing");
        }
        try {
            Pointer dst = info.getPointer(GstApi.MAP_DATA);
            if (d.hasArray()) {
                dst.write(0, d.array(), d.arrayOffset() + d.position(), n);
            } else {
                byte[] tmp = new byte[n];
                d.get(tmp);
                dst.write(0, tmp, 0, n);
            }
        } finally {
            libs.gst().gst_buffer_unmap(buf, info);
        }
        return buf;
    }

    /**
     * A buffer to push, stamped with {@code offsetNs} added to the media times: this object's own
     * (then this object is spent) or, when {@code shared}, a shallow copy sharing the memory.
     */
    Pointer stamped(long offsetNs, boolean shared) {
        Pointer b = buffer;
        if (b == null) {
            throw new IllegalStateException("buffer already pushed or released");
        }
        if (shared) {
            b = libs.gst().gst_mini_object_copy(b);
        } else {
            buffer = null;
        }
        b.setLong(GstApi.BUFFER_PTS, Math.max(0, ptsUs * 1000 + offsetNs));
        b.setLong(GstApi.BUFFER_DTS, Math.max(0, dtsUs * 1000 + offsetNs));
        b.setLong(GstApi.BUFFER_DURATION, durationUs < 0 ? GstApi.CLOCK_TIME_NONE : durationUs * 1000);
        int flags = b.getInt(GstApi.BUFFER_FLAGS);
        b.setInt(GstApi.BUFFER_FLAGS, keyframe ? flags & ~GstApi.FLAG_DELTA_UNIT : flags | GstApi.FLAG_DELTA_UNIT);
        return b;
    }

    /** Gives back this object's reference (when it was not pushed). Idempotent. */
    void release() {
        Pointer b = buffer;
        buffer = null;
        if (b != null) {
            libs.gst().gst_mini_object_unref(b);
        }
    }
}
