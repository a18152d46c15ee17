package dev.packetstream.webrtc.encoded;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The per-packet native calls of the send path (a viewer's shallow buffer copy, the push into its
 * app source, the app source's queue level), bound by JNA's direct mapping as
 * {@link SampleReader}'s are on the receive path: a plain native method call each, where the
 * interface mapping of {@link GstApi} goes through a proxy, reflection and an argument array on
 * every call. A fan-out makes these three calls for every packet and viewer.
 *
 * <h2>Threads</h2>
 * Any thread (the functions are GStreamer's thread-safe ones).
 */
final class SendCalls {
    private SendCalls() {
    }

    /** libgstreamer-1.0, directly mapped; registered once when first used (after {@link GstProcess} loaded GStreamer). */
    private static final class Core {
        static {
            Native.register("gstreamer-1.0");
        }

        static native Pointer gst_mini_object_copy(Pointer object);
    }

    /** libgstapp-1.0, directly mapped. */
    private static final class App {
        static {
            Native.register("gstapp-1.0");
        }

        static native int gst_app_src_push_buffer(Pointer appsrc, Pointer buffer);

        static native long gst_app_src_get_current_level_buffers(Pointer appsrc);
    }

    /** A shallow copy of a buffer (the same memory, its own metadata); owned by the caller. */
    static Pointer copy(Pointer buffer) {
        return Core.gst_mini_object_copy(buffer);
    }

    /** Hands {@code buffer} (and the caller's reference) to the app source; returns the GstFlowReturn. */
    static int push(Pointer appsrc, Pointer buffer) {
        return App.gst_app_src_push_buffer(appsrc, buffer);
    }

    /** Buffers waiting in the app source's queue. */
    static long queued(Pointer appsrc) {
        return App.gst_app_src_get_current_level_buffers(appsrc);
    }
}
