package dev.packetstream.webrtc.encoded;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The per-buffer native calls of the receive path (pull a sample from an app sink, its buffer and
 * caps, map and copy the bytes, release), bound by JNA's direct mapping: a plain native method
 * call each, where the interface mapping of {@link GstApi} goes through a proxy and reflection on
 * every call. Measured on 2 Dec 2026 (perf, browser-to-recorder remux): the interface mapping and
 * the reflective callback dispatch were most of the Java time on the jitter buffer's threads.
 *
 * <h2>Threads</h2>
 * Any thread; one instance per branch (it holds that branch's map-info scratch memory, used only
 * on the branch's streaming thread).
 */
final class SampleReader {
    /** libgstreamer-1.0, directly mapped; registered once when first used (after {@link GstProcess} loaded GStreamer). */
    private static final class Core {
        static {
            Native.register("gstreamer-1.0");
        }

        static native Pointer gst_sample_get_buffer(Pointer sample);

        static native Pointer gst_sample_get_caps(Pointer sample);

        static native int gst_buffer_map(Pointer buffer, Pointer info, int flags);

        static native void gst_buffer_unmap(Pointer buffer, Pointer info);

        static native void gst_mini_object_unref(Pointer object);
    }

    /** libgstapp-1.0, directly mapped. */
    private static final class App {
        static {
            Native.register("gstapp-1.0");
        }

        static native Pointer gst_app_sink_try_pull_sample(Pointer appsink, long timeout);
    }

    private final Memory mapInfo = new Memory(GstApi.MAP_INFO_BYTES);

    /** The next sample of {@code appsink} without waiting (owned: {@link #release} it), or null. */
    Pointer pull(Pointer appsink) {
        return App.gst_app_sink_try_pull_sample(appsink, 0);
    }

    /** The sample's buffer (borrowed from the sample), or null. */
    Pointer buffer(Pointer sample) {
        return Core.gst_sample_get_buffer(sample);
    }

    /** The sample's caps (borrowed from the sample), or null. */
    Pointer caps(Pointer sample) {
        return Core.gst_sample_get_caps(sample);
    }

    /** A copy of the buffer's bytes (empty when it cannot be mapped). */
    byte[] bytes(Pointer buffer) {
        if (Core.gst_buffer_map(buffer, mapInfo, GstApi.MAP_READ) == 0) {
            return new byte[0];
        }
        try {
            int n = (int) mapInfo.getLong(GstApi.MAP_SIZE);
            return mapInfo.getPointer(GstApi.MAP_DATA).getByteArray(0, n);
        } finally {
            Core.gst_buffer_unmap(buffer, mapInfo);
        }
    }

    /** Gives back a pulled sample. */
    void release(Pointer sample) {
        Core.gst_mini_object_unref(sample);
    }
}
