package dev.packetstream.webrtc.encoded;

import com.sun.jna.Callback;
import com.sun.jna.Pointer;
import java.util.List;
import java.util.function.Consumer;
import org.freedesktop.gstreamer.Bin;
import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.ElementFactory;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.glib.Natives;

/**
 * A session's GStreamer pipeline: one {@code webrtcbin} configured from the
 * {@link EncodedSessionConfig} (max-bundle, latency, jitter-buffer mode, STUN/TURN, ICE addresses
 * and ports), its element errors reported, and its clock. Senders and receivers add their
 * branches to {@link #pipeline()}.
 *
 * <h2>Ownership and threads</h2>
 * Owned by its {@link EncodedPeerSession}, which {@link #stop() stops} and {@link #dispose()
 * disposes} it in its tear-down on the event thread; made on the caller of
 * {@link EncodedRuntime#newSession}.
 */
final class SessionPipeline {
    /** rtpbin's {@code new-jitterbuffer} signal. */
    interface NewJitterBufferCallback extends Callback {
        void invoke(Pointer rtpbin, Pointer jitterBuffer, int session, int ssrc, Pointer data);
    }

    private final GstApi.Libs libs;
    private final Pipeline pipeline;
    private final Element webrtcElement;
    private final WebRtcBin bin;
    /** Keeps GStreamer's threads from calling gst1-java-core's toggle notification for the pipeline (see PinnedObject). */
    private final PinnedObject pipelinePin;
    /** A field: JNA callbacks must stay reachable while GStreamer may call them. */
    private final NewJitterBufferCallback onNewJitterBuffer = (rtpbin, jitterBuffer, session, ssrc, data) -> tune(jitterBuffer);

    /**
     * @throws EncodedRtcException when GStreamer cannot make webrtcbin
     */
    SessionPipeline(GstApi.Libs libs, String session, EncodedSessionConfig config) {
        this.libs = libs;
        try {
            this.pipeline = new Pipeline("session-" + session);
            this.webrtcElement = ElementFactory.make("webrtcbin", "webrtc");
        } catch (RuntimeException e) {
            throw new EncodedRtcException("session '" + session + "': GStreamer could not make webrtcbin: " + e.getMessage(), e);
        }
        this.pipelinePin = new PinnedObject(libs, Natives.getRawPointer(pipeline));
        this.bin = new WebRtcBin(libs, Natives.getRawPointer(webrtcElement), session);
        webrtcElement.set("bundle-policy", 3); // max-bundle: one transport, as browsers do
        webrtcElement.set("latency", (int) config.latency().toMillis());
        // rtpbin's jitter buffers in "synced" mode (4): time stamps from the RTP time stamps, mapped
        // once and not slaved to arrival, and RTCP lip-sync aligns the streams. Measured on 2 Dec 2026:
        // mode none (0) lost most of a Chromium publisher's video frames (samples RemuxRecorderTest:
        // 28 of 101; 2 of 94 with 400 ms latency); slave (1, rtpbin's default) kept them (104 of 107)
        // but skewed A/V by 51 ms and spread video by 132 ms (AvTimestampTest); synced kept every
        // frame (120 of 120) with an A/V skew of 11 ms and a video spread of 1 us.
        Element rtpbin = ((Bin) webrtcElement).getElementByName("rtpbin");
        if (rtpbin != null) {
            rtpbin.set("buffer-mode", 4);
            // Our RTCP sender reports map RTP time to NTP time by each packet's own (capture) time,
            // as libwebrtc's do, not by when it left: with rtpbin's default (send time) the mapping
            // of a GStreamer sender jumped by -780 and -3500 ms within 10 s and put video 14.6 ms off
            // audio, so a peer that lip-syncs by the reports moved both tracks; with capture time it
            // stayed constant and equal for both (AvTimestampTest, receiver reading the reports'
            // NTP times: A/V skew -7.8 ms -> -0.015 ms; 2 Dec 2026).
            rtpbin.set("rtcp-sync-send-time", false);
            libs.gobject().g_signal_connect_data(Natives.getRawPointer(rtpbin), "new-jitterbuffer", onNewJitterBuffer, null, null, 0);
        }
        if (config.stunServer() != null) {
            webrtcElement.set("stun-server", config.stunServer());
        }
        if (config.turnServer() != null) {
            webrtcElement.set("turn-server", config.turnServer());
        }
        bin.configureIce(config.loopbackOnly() ? List.of("127.0.0.1") : List.of(), config.minPort(), config.maxPort());
    }

    /**
     * GStreamer's streaming thread, once per remote stream: no retransmission timer for the next
     * packet before it is due ({@code rtx-next-seqnum} off). With it on (GStreamer's default) the
     * jitter buffer arms a timer for every packet it receives, due shortly after the packet's
     * predicted arrival; with a browser's irregular packet spacing many of them fire before the
     * packet comes and ask for it in vain. Measured on 2 Dec 2026 (a Chromium publisher recorded
     * for 10 minutes, ~340 RTP packets/s): Chromium retransmitted 7791 of 42215 audio packets
     * (none lost on loopback), our RTCP thread woke 180 times a second to send those NACKs and the
     * timer threads 200 times; with it off: 12 of 22152 audio packets retransmitted, both threads idle, the
     * process 25-35 % less CPU at the same packet rate. Losses are still asked for (NACK) as soon
     * as a gap shows, when a later packet arrives, as libwebrtc's receiver does. Other properties
     * stay as webrtcbin set them (retransmission on or off per transceiver).
     */
    private void tune(Pointer jitterBuffer) {
        libs.gobject().g_object_set(jitterBuffer, "rtx-next-seqnum", 0, Pointer.NULL);
    }

    /** Adds webrtcbin to the pipeline, reports element errors to {@code errors} (on GStreamer's bus thread) and plays. */
    void play(String session, Consumer<EncodedRtcException> errors) {
        pipeline.add(webrtcElement);
        pipeline.getBus().connect((Bus.ERROR) (source, code, message) -> errors.accept(new EncodedRtcException("session '"
                + session + "': GStreamer element '" + (source == null ? "?" : source.getName()) + "' failed: " + message)));
        pipeline.play();
    }

    Pipeline pipeline() {
        return pipeline;
    }

    Element webrtcElement() {
        return webrtcElement;
    }

    WebRtcBin bin() {
        return bin;
    }

    /** The pipeline's running time now (the clock the senders stamp and the receivers read). */
    long runningTimeNs() {
        Pointer p = Natives.getRawPointer(pipeline);
        Pointer clock = libs.gst().gst_element_get_clock(p);
        if (clock == null) {
            return 0;
        }
        try {
            return Math.max(0, libs.gst().gst_clock_get_time(clock) - libs.gst().gst_element_get_base_time(p));
        } finally {
            libs.gst().gst_object_unref(clock);
        }
    }

    /** Event thread, tear-down: to NULL; the streaming threads end. */
    void stop() {
        pipeline.setState(State.NULL);
    }

    /** Event thread, tear-down, after {@link #stop()}: releases the bus and the pipeline. */
    void dispose() {
        pipeline.getBus().dispose();
        pipeline.dispose();
        pipelinePin.close();
    }
}
