package dev.packetstream.webrtc.encoded;

import com.sun.jna.Callback;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.glib.Natives;

/**
 * Test aid for the samples: stalls one viewer's video as a peer whose network stops draining
 * would. A blocking probe on the output of the sender's video app source holds GStreamer's
 * streaming thread of that track, so the sender's bounded queue fills; {@link #close()} lets it go.
 * (In this package for the session's pipeline; nothing here is part of the SDK.)
 */
public final class SenderStall implements AutoCloseable {
    /** Keeps the callback reachable while the probe is installed. */
    private interface BlockProbe extends Callback {
        int invoke(Pointer pad, Pointer info, Pointer data);
    }

    private final EncodedTrackSender sender;
    private final Pointer pad;
    private final NativeLong probeId;
    private final BlockProbe probe = (p, info, data) -> 1; // GST_PAD_PROBE_OK: stay blocked
    private boolean released;

    private SenderStall(EncodedTrackSender sender) {
        this.sender = sender;
        EncodedPeerSession s = sender.session();
        Element src = s.pipeline().getElementByName(sender.name() + "-video-src");
        if (src == null) {
            throw new IllegalStateException("sender '" + sender.name() + "' has no video app source in session '" + s.name() + "'");
        }
        this.pad = s.libs().gst().gst_element_get_static_pad(Natives.getRawPointer(src), "src");
        this.probeId = s.libs().gst().gst_pad_add_probe(pad, 2 | 16, probe, null, null); // BLOCK | BUFFER
    }

    /** Blocks the sender's video output from now on. */
    public static SenderStall stall(EncodedTrackSender sender) {
        return new SenderStall(sender);
    }

    /** Lets the video flow again. Idempotent. */
    @Override
    public synchronized void close() {
        if (released) {
            return;
        }
        released = true;
        GstApi.Libs libs = sender.session().libs();
        libs.gst().gst_pad_remove_probe(pad, probeId);
        libs.gst().gst_object_unref(pad);
    }
}
