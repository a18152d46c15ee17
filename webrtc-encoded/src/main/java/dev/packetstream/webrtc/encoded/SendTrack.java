package dev.packetstream.webrtc.encoded;

import com.sun.jna.Callback;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.ElementFactory;
import org.freedesktop.gstreamer.Pad;
import org.freedesktop.gstreamer.PadLinkException;
import org.freedesktop.gstreamer.glib.Natives;

/**
 * One track of a sender inside its session's pipeline:
 * {@code appsrc → [h264parse] → payloader → [capsfilter] → webrtcbin sink pad} on a send-only
 * transceiver with NACK/RTX on. The app source's internal queue is the track's bounded queue;
 * its streaming thread carries the packets on, so {@link #push} never blocks.
 */
final class SendTrack {
    /** GST_EVENT_CAPS. */
    private static final int EVENT_CAPS = (50 << 8) | 2 | 4 | 8; // downstream, serialized, sticky
    private static final int PROBE_REMOVE = 2;

    interface ProbeCallback extends Callback {
        int invoke(Pointer pad, Pointer info, Pointer data);
    }

    final MediaKind kind;
    final String codecName;
    final String label;
    private final EncodedPeerSession session;
    private final GstApi.Libs libs;
    private final List<Element> elements = new ArrayList<>();
    private final Element appsrc;
    private final Pointer appsrcPtr;
    private final Pad sinkPad;
    private final CompletableFuture<Void> capsArrived = new CompletableFuture<>();
    /** Fields, not locals: JNA callbacks must stay reachable while GStreamer may call them (the track lives as long as its session). */
    private final ProbeCallback capsProbe;
    private final ProbeCallback keyframeProbe;

    SendTrack(EncodedPeerSession session, String sender, MediaKind kind, String codecName, Codecs.SendChain chain,
              Runnable peerAskedForKeyframe) {
        this.session = session;
        this.libs = session.libs();
        this.kind = kind;
        this.codecName = codecName;
        this.label = sender + "-" + kind.name().toLowerCase(java.util.Locale.ROOT);
        try {
            appsrc = ElementFactory.make("appsrc", label + "-src");
            appsrc.set("caps", Caps.fromString(chain.sourceCaps()));
            appsrc.set("format", 3); // GST_FORMAT_TIME: timestamps come from the media
            appsrc.set("is-live", true);
            appsrc.set("do-timestamp", false);
            appsrc.set("block", false);
            appsrc.set("max-bytes", 0L); // the sender bounds the queue by buffers (EncodedTrackSender.queueLimit)
            elements.add(appsrc);
            if (chain.parser() != null) {
                Element parser = ElementFactory.make(chain.parser(), label + "-parse");
                parser.set("config-interval", -1); // parameter sets before every keyframe: a viewer can start at any
                elements.add(parser);
            }
            Element pay = ElementFactory.make(chain.payloader(), label + "-pay");
            pay.set("pt", Codecs.payloadType(chain.rtpEncoding()));
            if (chain.payloader().equals("rtph264pay")) {
                pay.set("config-interval", -1);
                pay.set("aggregate-mode", 1); // zero-latency STAP-A of SPS/PPS with the IDR
            } else if (chain.payloader().startsWith("rtpvp")) {
                pay.set("picture-id-mode", 2); // 15-bit picture ids, as browsers send
            }
            elements.add(pay);
            if (chain.capsAfterPayloader() != null) {
                Element filter = ElementFactory.make("capsfilter", label + "-caps");
                filter.set("caps", Caps.fromString(chain.capsAfterPayloader()));
                elements.add(filter);
            }
        } catch (RuntimeException e) {
            throw new EncodedRtcException("session '" + session.name() + "', track '" + label
                    + "': GStreamer could not make the send chain: " + e.getMessage(), e);
        }
        appsrcPtr = Natives.getRawPointer(appsrc);
        for (Element e : elements) {
            session.pipeline().add(e);
        }
        if (!Element.linkMany(elements.toArray(new Element[0]))) {
            throw new EncodedRtcException("session '" + session.name() + "', track '" + label + "': could not link " + elements);
        }
        sinkPad = session.webrtcElement().getRequestPad("sink_%u");
        if (sinkPad == null) {
            throw new EncodedRtcException("session '" + session.name() + "': webrtcbin refused a sink pad for track '" + label + "'");
        }
        Pointer sinkPadPtr = Natives.getRawPointer(sinkPad);
        capsProbe = (pad, info, data) -> {
            Pointer event = libs.gst().gst_pad_probe_info_get_event(info);
            if (event != null && event.getInt(64) == EVENT_CAPS) {
                capsArrived.complete(null);
                return PROBE_REMOVE;
            }
            return GstApi.PROBE_OK;
        };
        libs.gst().gst_pad_add_probe(sinkPadPtr, GstApi.PROBE_EVENT_DOWNSTREAM, capsProbe, null, null);
        keyframeProbe = (pad, info, data) -> {
            Pointer event = libs.gst().gst_pad_probe_info_get_event(info);
            if (event != null && libs.video().gst_video_event_is_force_key_unit(event)) {
                peerAskedForKeyframe.run();
            }
            return GstApi.PROBE_OK;
        };
        Pointer srcPad = libs.gst().gst_element_get_static_pad(appsrcPtr, "src");
        libs.gst().gst_pad_add_probe(srcPad, GstApi.PROBE_EVENT_UPSTREAM, keyframeProbe, null, null);
        libs.gst().gst_object_unref(srcPad);
        try {
            elements.get(elements.size() - 1).getStaticPad("src").link(sinkPad);
        } catch (PadLinkException e) {
            throw new EncodedRtcException("session '" + session.name() + "': could not link track '" + label
                    + "' to webrtcbin: " + e.getLinkResult(), e);
        }
        Pointer transceiver = session.bin().transceiverOf(sinkPadPtr);
        if (transceiver != null) {
            // NACK/RTX for video only: browsers do not retransmit audio, and an audio RTX stream makes Chromium refuse the offer
            session.bin().configureTransceiver(transceiver, GstApi.DIRECTION_SENDONLY, kind == MediaKind.VIDEO);
            libs.gobject().g_object_unref(transceiver);
        }
        for (Element e : elements) {
            e.syncStateWithParent();
        }
    }

    /** Hands one buffer (and the caller's reference to it) to the app source. Never blocks. */
    void push(Pointer buffer) {
        libs.app().gst_app_src_push_buffer(appsrcPtr, buffer);
    }

    /** Buffers waiting in the app source. */
    long queued() {
        return libs.app().gst_app_src_get_current_level_buffers(appsrcPtr);
    }

    /** Waits until the track's caps have reached webrtcbin (its first packet went through). */
    void awaitCaps(long deadlineNanos) {
        try {
            capsArrived.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new EncodedRtcException("session '" + session.name() + "': track '" + label + "' (" + codecName
                    + ") got no packet in time; an offer or answer waits for the first packet of every track, because "
                    + "webrtcbin reads the codec parameters from it. Start the stream before negotiating", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for track '" + label + "'", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IllegalStateException closing) {
                throw closing;
            }
            throw new EncodedRtcException("track '" + label + "': " + e.getCause(), e.getCause());
        }
        // the probe runs just before the pad stores the caps: let it finish
        for (int i = 0; i < 100_000 && !libs.gst().gst_pad_has_current_caps(Natives.getRawPointer(sinkPad)); i++) {
            Thread.onSpinWait();
        }
    }

    /** Releases a negotiation waiting for this track's caps (the session is closing). Any thread. */
    void abortWait(String session) {
        capsArrived.completeExceptionally(new IllegalStateException("session '" + session
                + "' closed while waiting for the first packet of track '" + label + "'"));
    }

    boolean hasCaps() {
        return capsArrived.isDone();
    }

    @Override
    public String toString() {
        return label + " (" + codecName + ")";
    }
}
