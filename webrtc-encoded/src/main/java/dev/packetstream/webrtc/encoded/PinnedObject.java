package dev.packetstream.webrtc.encoded;

import com.sun.jna.Pointer;

/**
 * A plain native reference on a GObject that gst1-java-core also wraps, held while the Java
 * wrapper lives, so that GStreamer's threads never call into Java for it.
 *
 * <p>Why: gst1-java-core owns its wrapped objects through a toggle reference, and GLib calls the
 * toggle notification (a JNA callback into Java: a map look-up and boxing, on GStreamer's thread)
 * every time the object's count crosses between 1 and 2. Objects in a bin have the bin's reference
 * as well and never cross; a session's top-level pipeline has only the wrapper's, and the streaming
 * and RTCP threads take and drop references on it all the time (measured on 2 Dec 2026 with perf:
 * a fifth of the RTCP thread's samples in a browser-to-recorder session were these callbacks).
 * With this reference the count stays at 2 or more and the notification never fires.
 *
 * <h2>Ownership</h2>
 * {@link #close()} drops the reference; call it after the wrapper is disposed. Idempotent.
 */
final class PinnedObject implements AutoCloseable {
    private final GstApi.Libs libs;
    private Pointer object;

    PinnedObject(GstApi.Libs libs, Pointer object) {
        this.libs = libs;
        this.object = libs.gst().gst_object_ref(object);
    }

    @Override
    public synchronized void close() {
        Pointer o = object;
        object = null;
        if (o != null) {
            libs.gst().gst_object_unref(o);
        }
    }
}
