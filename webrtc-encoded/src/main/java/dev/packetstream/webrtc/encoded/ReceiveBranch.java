package dev.packetstream.webrtc.encoded;

import com.sun.jna.CallbackProxy;
import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import dev.packetstream.core.Packet;
import dev.packetstream.core.media.AudioCodec;
import dev.packetstream.core.media.EncodedAudioPacket;
import dev.packetstream.core.media.EncodedVideoPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.ElementFactory;
import org.freedesktop.gstreamer.glib.Natives;

/**
 * One remote stream inside a session's pipeline:
 * {@code webrtcbin src pad → depayloader [→ h264parse] → appsink}; each sample becomes an owned
 * {@link EncodedVideoPacket} or {@link EncodedAudioPacket} handed to the receiver on GStreamer's
 * streaming thread.
 */
final class ReceiveBranch {
    /**
     * The app sink's {@code new-sample} handler. A {@link CallbackProxy}: JNA calls it with the
     * arguments as they are, where a plain callback interface is invoked through reflection on
     * every sample.
     */
    private final class SampleCallback implements CallbackProxy {
        private static final Class<?>[] PARAMETERS = {Pointer.class, Pointer.class};

        @Override
        public Object callback(Object[] args) {
            pull();
            return 0;
        }

        @Override
        public Class<?>[] getParameterTypes() {
            return PARAMETERS;
        }

        @Override
        public Class<?> getReturnType() {
            return int.class;
        }
    }

    final MediaKind kind;
    final String encoding;
    private final GstApi.Libs libs;
    private final EncodedTrackReceiver receiver;
    private final List<Element> elements = new ArrayList<>();
    private final Pointer appsinkPtr;
    /** A field: JNA callbacks must stay reachable while GStreamer may call them (the receiver keeps its branches). */
    private final SampleCallback onSample;
    private final SampleReader reader = new SampleReader();
    private Pointer lastCaps;
    private int width;
    private int height;
    private int channels = 2;

    private ReceiveBranch(EncodedPeerSession session, EncodedTrackReceiver receiver, MediaKind kind, String encoding,
                          Pointer pad) {
        this.libs = session.libs();
        this.receiver = receiver;
        this.kind = kind;
        this.encoding = encoding;
        String label = receiver.name() + "-" + kind.name().toLowerCase(Locale.ROOT) + "-" + Integer.toHexString(pad.hashCode());
        for (String factory : Codecs.receiveChain(encoding)) {
            Element e = ElementFactory.make(factory, label + "-" + factory);
            if (kind == MediaKind.VIDEO && factory.endsWith("depay")) {
                // after a loss: drop to the next keyframe (consumers never see a broken picture) and ask for it (PLI)
                e.set("wait-for-keyframe", true);
                e.set("request-keyframe", true);
            }
            elements.add(e);
        }
        Element sink = ElementFactory.make("appsink", label + "-sink");
        sink.set("caps", Caps.fromString(Codecs.sinkCaps(encoding)));
        sink.set("sync", false);
        sink.set("async", false);
        sink.set("emit-signals", true);
        sink.set("max-buffers", 200);
        sink.set("drop", true);
        elements.add(sink);
        appsinkPtr = Natives.getRawPointer(sink);
        onSample = new SampleCallback();
        Native.setCallbackThreadInitializer(onSample, new CallbackThreadInitializer(true, false, "gst-receive-" + label));
        libs.gobject().g_signal_connect_data(appsinkPtr, "new-sample", onSample, null, null, 0);
        for (Element e : elements) {
            session.pipeline().add(e);
        }
        if (!Element.linkMany(elements.toArray(new Element[0]))) {
            throw new EncodedRtcException("session '" + session.name() + "': could not link the receive chain " + elements);
        }
        for (Element e : elements) {
            e.syncStateWithParent();
        }
        Pointer depaySink = libs.gst().gst_element_get_static_pad(Natives.getRawPointer(elements.get(0)), "sink");
        int r = libs.gst().gst_pad_link(pad, depaySink);
        libs.gst().gst_object_unref(depaySink);
        if (r != 0) {
            throw new EncodedRtcException("session '" + session.name() + "': could not link the remote " + encoding
                    + " stream to its depayloader (GstPadLinkReturn " + r + ")");
        }
    }

    /** Links a new webrtcbin source pad for {@code receiver} when it carries media the receiver takes; else null. */
    static ReceiveBranch link(EncodedPeerSession session, EncodedTrackReceiver receiver, Pointer pad) {
        String[] media = mediaOf(session.libs(), pad);
        if (media == null) {
            return null;
        }
        MediaKind kind = media[0].equals("video") ? MediaKind.VIDEO : MediaKind.AUDIO;
        if (Codecs.receiveChain(media[1]) == null) {
            throw new EncodedRtcException("session '" + session.name() + "': the peer sends " + media[0] + " as " + media[1]
                    + ", which webrtc-encoded cannot depayload (H264, VP8, VP9, Opus); the stream is discarded");
        }
        return new ReceiveBranch(session, receiver, kind, media[1], pad);
    }

    /** {"video"|"audio", encoding name} of a webrtcbin source pad, or null when its caps say neither. */
    private static String[] mediaOf(GstApi.Libs libs, Pointer pad) {
        Pointer caps = libs.gst().gst_pad_get_current_caps(pad);
        if (caps == null) {
            return null;
        }
        try {
            Pointer s = libs.gst().gst_caps_get_structure(caps, 0);
            Pointer media = libs.gst().gst_structure_get_string(s, "media");
            Pointer enc = libs.gst().gst_structure_get_string(s, "encoding-name");
            if (media == null || enc == null) {
                return null;
            }
            return new String[] {media.getString(0), enc.getString(0).toUpperCase(Locale.ROOT)};
        } finally {
            libs.gst().gst_mini_object_unref(caps);
        }
    }

    /** Links a remote stream nobody takes to a fakesink, so that it does not stop the session's pipeline. */
    static void discard(EncodedPeerSession session, Pointer pad) {
        Element sink = ElementFactory.make("fakesink", null);
        sink.set("sync", false);
        sink.set("async", false);
        session.pipeline().add(sink);
        sink.syncStateWithParent();
        Pointer sinkPad = session.libs().gst().gst_element_get_static_pad(Natives.getRawPointer(sink), "sink");
        session.libs().gst().gst_pad_link(pad, sinkPad);
        session.libs().gst().gst_object_unref(sinkPad);
    }

    static boolean isStreamingThreadOf(List<EncodedTrackReceiver> receivers) {
        for (EncodedTrackReceiver r : receivers) {
            if (r.isDeliveryThread()) {
                return true;
            }
        }
        return false;
    }

    /** Asks the peer for a keyframe: an upstream force-key-unit event, which rtpbin turns into a PLI/FIR. */
    boolean requestKeyframe() {
        if (kind != MediaKind.VIDEO) {
            return false;
        }
        Pointer event = libs.video().gst_video_event_new_upstream_force_key_unit(GstApi.CLOCK_TIME_NONE, true, 0);
        Pointer sinkPad = libs.gst().gst_element_get_static_pad(appsinkPtr, "sink");
        try {
            return libs.gst().gst_pad_push_event(sinkPad, event); // takes the event
        } finally {
            libs.gst().gst_object_unref(sinkPad);
        }
    }

    private void pull() {
        Pointer sample = reader.pull(appsinkPtr);
        if (sample == null) {
            return;
        }
        Packet p;
        try {
            p = toPacket(sample);
        } finally {
            reader.release(sample);
        }
        if (p != null) {
            receiver.deliver(p);
        }
    }

    private Packet toPacket(Pointer sample) {
        Pointer buffer = reader.buffer(sample);
        if (buffer == null) {
            return null;
        }
        readCaps(reader.caps(sample));
        long pts = buffer.getLong(GstApi.BUFFER_PTS);
        long dts = buffer.getLong(GstApi.BUFFER_DTS);
        boolean delta = (buffer.getInt(GstApi.BUFFER_FLAGS) & GstApi.FLAG_DELTA_UNIT) != 0;
        byte[] data = reader.bytes(buffer);
        long ptsUs = pts == GstApi.CLOCK_TIME_NONE ? receiver.session().runningTimeNs() / 1000 : pts / 1000;
        long dtsUs = dts == GstApi.CLOCK_TIME_NONE ? ptsUs : dts / 1000;
        if (kind == MediaKind.VIDEO) {
            return EncodedVideoPacket.own(Codecs.videoCodec(encoding), data, !delta, ptsUs, dtsUs, width, height, null);
        }
        return EncodedAudioPacket.own(AudioCodec.OPUS, data, ptsUs, 48_000, channels, OpusToc.samples(data), null);
    }

    private void readCaps(Pointer caps) {
        if (caps == null || caps.equals(lastCaps)) {
            return;
        }
        lastCaps = caps;
        Pointer s = libs.gst().gst_caps_get_structure(caps, 0);
        IntByReference v = new IntByReference();
        if (kind == MediaKind.VIDEO) {
            if (libs.gst().gst_structure_get_int(s, "width", v)) {
                width = v.getValue();
            }
            if (libs.gst().gst_structure_get_int(s, "height", v)) {
                height = v.getValue();
            }
        } else if (libs.gst().gst_structure_get_int(s, "channels", v)) {
            channels = v.getValue();
        }
    }
}
