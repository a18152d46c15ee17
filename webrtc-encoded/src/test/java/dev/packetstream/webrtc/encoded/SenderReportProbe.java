package dev.packetstream.webrtc.encoded;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.freedesktop.gstreamer.Bin;
import org.freedesktop.gstreamer.Element;

/**
 * What a receiving session learns from its peer's RTCP sender reports: rtpbin stamps each received
 * RTP buffer with the sender's NTP time for it ({@code add-reference-timestamp-meta}, mapped from
 * the latest report of its SSRC), and a buffer probe on each of webrtcbin's source pads records
 * that NTP time minus the buffer's running time, per pad. A sender whose reports map every track
 * onto one clock gives one constant for all pads.
 *
 * <p>Threads: the probes run on GStreamer's streaming threads; {@link #ntpMinusPtsMs} may be read
 * from any thread. Install before the session negotiates.
 */
final class SenderReportProbe {
    private static final int PROBE_BUFFER = 1 << 4;
    /** GstReferenceTimestampMeta's timestamp, after the 16-byte GstMeta and the caps pointer. */
    private static final long META_TIMESTAMP = 24;

    interface Natives extends Library {
        Pointer gst_pad_probe_info_get_buffer(Pointer info);

        Pointer gst_buffer_get_reference_timestamp_meta(Pointer buffer, Pointer reference);
    }

    private final Natives natives = Native.load("gstreamer-1.0", Natives.class);
    private final Map<String, List<Double>> byPad = new ConcurrentHashMap<>();
    /** Fields: JNA callbacks must stay reachable while GStreamer may call them. */
    private final WebRtcBin.PadCallback onPad;
    private final SendTrack.ProbeCallback onBuffer;

    SenderReportProbe(EncodedPeerSession session) {
        Element rtpbin = ((Bin) session.webrtcElement()).getElementByName("rtpbin");
        rtpbin.set("add-reference-timestamp-meta", true);
        GstApi.Libs libs = session.libs();
        onBuffer = (pad, info, data) -> {
            Pointer buffer = natives.gst_pad_probe_info_get_buffer(info);
            Pointer meta = buffer == null ? null : natives.gst_buffer_get_reference_timestamp_meta(buffer, null);
            long pts = buffer == null ? GstApi.CLOCK_TIME_NONE : buffer.getLong(GstApi.BUFFER_PTS);
            if (meta != null && pts != GstApi.CLOCK_TIME_NONE) {
                byPad.computeIfAbsent(Long.toHexString(Pointer.nativeValue(pad)), k -> new CopyOnWriteArrayList<>())
                        .add((meta.getLong(META_TIMESTAMP) - pts) / 1e6);
            }
            return GstApi.PROBE_OK;
        };
        onPad = (element, pad, data) -> libs.gst().gst_pad_add_probe(pad, PROBE_BUFFER, onBuffer, null, null);
        session.bin().onPadAdded(onPad);
    }

    /** Per source pad (one per received track), every buffer's sender NTP time minus its PTS, in ms, in arrival order. */
    List<List<Double>> ntpMinusPtsMs() {
        return new ArrayList<>(byPad.values());
    }
}
