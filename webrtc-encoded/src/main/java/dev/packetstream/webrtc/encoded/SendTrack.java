package dev.packetstream.webrtc.encoded;

import com.sun.jna.Callback;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.util.ArrayDeque;
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
 * transceiver with NACK/RTX on. {@link #push} never blocks.
 *
 * <h2>Two phases</h2>
 * Until the transport connects, the app source's internal queue is the track's queue and its
 * streaming thread carries the packets on (webrtcbin holds a track's first packets until the
 * session is negotiated, and that thread may wait there). Once connected ({@link #goDirect}), the
 * packets go to a queue of this object and the runtime's shared {@link SendWorkers} push them
 * into the chain themselves, through the app source's pad: one wake-up per packet for many
 * viewers instead of one per viewer and track. The switch is ordered: a marker buffer is queued
 * behind the app source's last packet, and the direct pushes start once its streaming thread has
 * reached it (and dropped it).
 *
 * <h2>Threads</h2>
 * {@link #push} and {@link #queued} from any thread; {@link #drain} on one send thread at a
 * time; {@link #goDirect} and {@link #release} on the session's event thread.
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
    private final Pointer srcPad;
    private final CompletableFuture<Void> capsArrived = new CompletableFuture<>();
    private final SendWorkers workers;
    /** Packets waiting for a send thread (direct phase); guarded by itself, with {@link #scheduled}. */
    private final ArrayDeque<Pointer> waiting = new ArrayDeque<>();
    private boolean scheduled;
    /** APPSRC, then DRAINING (packets wait here while the app source empties), then DIRECT. */
    private volatile int phase = APPSRC;
    private static final int APPSRC = 0;
    private static final int DRAINING = 1;
    private static final int DIRECT = 2;
    /** Guards the pad against release while a send thread pushes. */
    private final Object padLock = new Object();
    private boolean released;
    private Pointer marker;
    private NativeLong markerProbeId;
    private final ProbeCallback markerProbe;
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
        this.workers = session.runtime().sendWorkers();
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
        srcPad = libs.gst().gst_element_get_static_pad(appsrcPtr, "src"); // our reference, dropped at release
        libs.gst().gst_pad_add_probe(srcPad, GstApi.PROBE_EVENT_UPSTREAM, keyframeProbe, null, null);
        markerProbe = (pad, info, data) -> {
            Pointer b = libs.gst().gst_pad_probe_info_get_buffer(info);
            if (b != null && b.equals(marker)) {
                drained();
                return GstApi.PROBE_DROP;
            }
            return GstApi.PROBE_OK;
        };
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

    /** Hands one buffer (and the caller's reference to it) to the track's queue. Never blocks. */
    void push(Pointer buffer) {
        boolean wake;
        synchronized (waiting) { // one lock with goDirect: no packet enters the app source behind its marker
            if (phase == APPSRC) {
                libs.app().gst_app_src_push_buffer(appsrcPtr, buffer);
                return;
            }
            waiting.addLast(buffer);
            wake = phase == DIRECT && !scheduled;
            if (wake) {
                scheduled = true;
            }
        }
        if (wake) {
            workers.schedule(this);
        }
    }

    /** Packets waiting: in the app source and (once connected) in this track's queue. */
    long queued() {
        int p = phase;
        long here;
        synchronized (waiting) {
            here = waiting.size();
        }
        return p == DIRECT ? here : here + libs.app().gst_app_src_get_current_level_buffers(appsrcPtr);
    }

    /**
     * Event thread: the transport is up; from now on the shared send threads push this track's
     * packets, after what the app source holds. Idempotent.
     */
    void goDirect() {
        synchronized (padLock) {
            if (phase != APPSRC || released) {
                return;
            }
            marker = libs.gst().gst_buffer_new();
            markerProbeId = libs.gst().gst_pad_add_probe(srcPad, GstApi.PROBE_BUFFER, markerProbe, null, null);
            synchronized (waiting) {
                phase = DRAINING;
                // the app source takes the marker's reference; the probe drops it
                libs.app().gst_app_src_push_buffer(appsrcPtr, marker);
            }
        }
    }

    /** The app source's streaming thread reached the marker: everything before it has been pushed. */
    private void drained() {
        boolean wake;
        synchronized (waiting) {
            phase = DIRECT;
            wake = !waiting.isEmpty() && !scheduled;
            if (wake) {
                scheduled = true;
            }
        }
        if (wake) {
            workers.schedule(this);
        }
    }

    /** A send thread: pushes what waits (a bounded batch, then the track goes to the back of the line). */
    void drain(SendWorkers from) {
        removeMarkerProbe();
        for (int i = 0; i < DRAIN_BATCH; i++) {
            Pointer b;
            synchronized (waiting) {
                b = waiting.pollFirst();
                if (b == null) {
                    scheduled = false;
                    return;
                }
            }
            int flow;
            synchronized (padLock) {
                if (released) {
                    libs.gst().gst_mini_object_unref(b);
                    continue;
                }
                flow = libs.gst().gst_pad_push(srcPad, b); // takes the buffer; FLUSHING once the session stops
            }
            if (flow <= FLOW_NOT_NEGOTIATED && !reportedFlowError) {
                // what the app source would have posted on the bus as an element error
                reportedFlowError = true;
                EncodedRtcException e = new EncodedRtcException("session '" + session.name() + "', track '" + label
                        + "': the send chain refused a packet (GstFlowReturn " + flow + "); the track's later packets may be lost");
                session.events().execute(() -> session.reportError(e));
            }
        }
        from.schedule(this); // still scheduled: more to push after the other tracks' turn
    }

    private static final int DRAIN_BATCH = 32;
    /** GST_FLOW_NOT_NEGOTIATED; ERROR and the other failures are below it. */
    private static final int FLOW_NOT_NEGOTIATED = -4;
    private boolean reportedFlowError;

    private void removeMarkerProbe() {
        if (markerProbeId != null) {
            synchronized (padLock) {
                if (markerProbeId != null && !released) {
                    libs.gst().gst_pad_remove_probe(srcPad, markerProbeId);
                }
                markerProbeId = null;
            }
        }
    }

    /** Drops what waits (the runtime's send threads are closing). */
    void discardQueued() {
        synchronized (waiting) {
            Pointer b;
            while ((b = waiting.pollFirst()) != null) {
                libs.gst().gst_mini_object_unref(b);
            }
            scheduled = false;
        }
    }

    /** Event thread, tear-down, after the pipeline stopped: no push reaches the pad any more; drops what waits. */
    void release() {
        synchronized (padLock) {
            if (released) {
                return;
            }
            released = true;
            libs.gst().gst_object_unref(srcPad);
        }
        discardQueued();
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
