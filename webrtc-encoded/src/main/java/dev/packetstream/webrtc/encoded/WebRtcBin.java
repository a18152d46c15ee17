package dev.packetstream.webrtc.encoded;

import com.sun.jna.Callback;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The webrtcbin operations gst1-java-core gets wrong (double frees, callbacks that deadlock,
 * replies it cannot read), done through {@link GstApi}: emit the action signal, wait for the
 * promise on the calling thread (never on webrtcbin's), read only the SDP text, and free what
 * this side allocated.
 *
 * <h2>Threads</h2>
 * The blocking methods ({@link #createOffer}, {@link #setLocal}, ...) run on the session's event
 * thread, one at a time. {@link #interrupt()} may be called from any thread: it releases a wait
 * in progress (used by close).
 */
final class WebRtcBin {
    /** GstWebRTCPeerConnectionState, in order. */
    private static final ConnectionState[] STATES = {ConnectionState.NEW, ConnectionState.CONNECTING,
        ConnectionState.CONNECTED, ConnectionState.DISCONNECTED, ConnectionState.FAILED, ConnectionState.CLOSED};

    interface PadCallback extends Callback {
        void invoke(Pointer element, Pointer pad, Pointer data);
    }

    interface CandidateCallback extends Callback {
        void invoke(Pointer element, int mlineIndex, String candidate, Pointer data);
    }

    interface NotifyCallback extends Callback {
        void invoke(Pointer object, Pointer pspec, Pointer data);
    }

    interface TransceiverCallback extends Callback {
        void invoke(Pointer element, Pointer transceiver, Pointer data);
    }

    private final GstApi.Libs libs;
    private final Pointer bin;
    private final String session;
    private final Object promiseLock = new Object();
    private Pointer pendingPromise;
    private boolean interrupted;
    /** Signal handlers and the callbacks they call: JNA must keep the callbacks strongly reachable. */
    private final List<NativeLong> handlers = new ArrayList<>();
    private final List<Callback> callbacks = new ArrayList<>();
    /** Receive transceivers (added on the user's thread, re-tuned on the event thread) with their caps before feedback. */
    private final List<ReceiveTransceiver> receiveTransceivers = new CopyOnWriteArrayList<>();

    private record ReceiveTransceiver(Pointer transceiver, String caps, int feedbackId) {
    }

    WebRtcBin(GstApi.Libs libs, Pointer bin, String session) {
        this.libs = libs;
        this.bin = bin;
        this.session = session;
    }

    Pointer pointer() {
        return bin;
    }

    // ------------------------------------------------------------------ signals

    void onPadAdded(PadCallback cb) {
        connect("pad-added", cb);
    }

    void onIceCandidate(CandidateCallback cb) {
        connect("on-ice-candidate", cb);
    }

    void onConnectionStateChange(NotifyCallback cb) {
        connect("notify::connection-state", cb);
    }

    void onNewTransceiver(TransceiverCallback cb) {
        connect("on-new-transceiver", cb);
    }

    private void connect(String signal, Callback cb) {
        synchronized (handlers) {
            callbacks.add(cb);
            handlers.add(libs.gobject().g_signal_connect_data(bin, signal, cb, null, null, 0));
        }
    }

    /** Disconnects every handler: no callback of ours runs after this returns. */
    void disconnectAll() {
        synchronized (handlers) {
            for (NativeLong id : handlers) {
                libs.gobject().g_signal_handler_disconnect(bin, id);
            }
            handlers.clear();
        }
    }

    // ------------------------------------------------------------------ negotiation

    /** Creates an offer and returns its SDP text. */
    String createOffer() {
        return createDescription("create-offer", "offer");
    }

    /** Creates an answer to the remote offer and returns its SDP text. */
    String createAnswer() {
        return createDescription("create-answer", "answer");
    }

    private String createDescription(String signal, String field) {
        return awaitReply(signal, p -> libs.gobject().g_signal_emit_by_name(bin, signal, Pointer.NULL, p), reply -> {
            Pointer value = reply == null ? null : libs.gst().gst_structure_get_value(reply, field);
            if (value == null) {
                throw new EncodedRtcException("session '" + session + "': webrtcbin could not " + signal.replace('-', ' ')
                        + ": " + describe(reply));
            }
            Pointer desc = value.getPointer(8); // GValue: GType, then the boxed pointer
            Pointer sdp = desc == null ? null : desc.getPointer(8); // {GstWebRTCSDPType type; GstSDPMessage *sdp}
            if (sdp == null) {
                throw new EncodedRtcException("session '" + session + "': webrtcbin's " + field + " has no SDP");
            }
            return libs.takeString(libs.sdp().gst_sdp_message_as_text(sdp));
        });
    }

    /** Applies a local description (SDP text this session created). */
    void setLocal(int type, String sdp) {
        setDescription("set-local-description", type, sdp);
    }

    /** Applies the peer's description. */
    void setRemote(int type, String sdp) {
        setDescription("set-remote-description", type, sdp);
    }

    private void setDescription(String signal, int type, String sdp) {
        PointerByReference msg = new PointerByReference();
        int r = libs.sdp().gst_sdp_message_new_from_text(sdp, msg);
        if (r != 0 || msg.getValue() == null) {
            throw new IllegalArgumentException("session '" + session + "': GStreamer cannot parse the SDP (" + r
                    + "); check what the signaling transport delivers");
        }
        Pointer desc = libs.webrtc().gst_webrtc_session_description_new(type, msg.getValue()); // takes the message
        try {
            awaitReply(signal, p -> libs.gobject().g_signal_emit_by_name(bin, signal, desc, p), reply -> {
                if (reply != null && libs.gst().gst_structure_has_field(reply, "error")) {
                    throw new EncodedRtcException("session '" + session + "': webrtcbin refused to "
                            + signal.replace('-', ' ') + ": " + describe(reply));
                }
                return null;
            });
        } finally {
            libs.webrtc().gst_webrtc_session_description_free(desc); // webrtcbin keeps its own copy
        }
    }

    /** Adds a remote candidate (webrtcbin copies the string). */
    void addIceCandidate(int mlineIndex, String candidate) {
        libs.gobject().g_signal_emit_by_name(bin, "add-ice-candidate", mlineIndex, candidate);
    }

    private interface Emit {
        void emit(Pointer promise);
    }

    private interface ReadReply<T> {
        T read(Pointer reply);
    }

    private <T> T awaitReply(String what, Emit emit, ReadReply<T> read) {
        Pointer promise = libs.gst().gst_promise_new();
        synchronized (promiseLock) {
            if (interrupted) {
                libs.gst().gst_mini_object_unref(promise);
                throw closing(what);
            }
            pendingPromise = promise;
        }
        try {
            emit.emit(promise);
            int result = libs.gst().gst_promise_wait(promise);
            if (result != GstApi.PROMISE_REPLIED) {
                throw closing(what);
            }
            return read.read(libs.gst().gst_promise_get_reply(promise)); // the reply belongs to the promise
        } finally {
            synchronized (promiseLock) {
                pendingPromise = null;
                libs.gst().gst_mini_object_unref(promise);
            }
        }
    }

    private IllegalStateException closing(String what) {
        return new IllegalStateException("session '" + session + "' closed while waiting for webrtcbin's " + what);
    }

    /** Releases a wait in progress and refuses later ones (close). Any thread. */
    void interrupt() {
        synchronized (promiseLock) {
            interrupted = true;
            if (pendingPromise != null) {
                libs.gst().gst_promise_interrupt(pendingPromise);
            }
        }
    }

    private String describe(Pointer structure) {
        if (structure == null) {
            return "no reply";
        }
        String s = libs.takeString(libs.gst().gst_structure_to_string(structure));
        return s == null ? "no reply" : s;
    }

    // ------------------------------------------------------------------ properties

    ConnectionState connectionState() {
        IntByReference v = new IntByReference();
        libs.gobject().g_object_get(bin, "connection-state", v, Pointer.NULL);
        int s = v.getValue();
        return s >= 0 && s < STATES.length ? STATES[s] : ConnectionState.FAILED;
    }

    /** Restricts ICE gathering to these local addresses (e.g. 127.0.0.1), and the port range when set. */
    void configureIce(List<String> localAddresses, int minPort, int maxPort) {
        PointerByReference agent = new PointerByReference();
        libs.gobject().g_object_get(bin, "ice-agent", agent, Pointer.NULL);
        Pointer ice = agent.getValue();
        if (ice == null) {
            throw new EncodedRtcException("session '" + session + "': webrtcbin has no ICE agent");
        }
        try {
            for (String address : localAddresses) {
                IntByReference ok = new IntByReference();
                libs.gobject().g_signal_emit_by_name(ice, "add-local-ip-address", address, ok);
                if (ok.getValue() == 0) {
                    throw new EncodedRtcException("session '" + session + "': the ICE agent refused local address " + address);
                }
            }
            if (minPort > 0) {
                libs.gobject().g_object_set(ice, "min-rtp-port", minPort, "max-rtp-port", maxPort, Pointer.NULL);
            }
        } finally {
            libs.gobject().g_object_unref(ice);
        }
    }

    /** Sets a transceiver's direction and retransmission (NACK/RTX). */
    void configureTransceiver(Pointer transceiver, int direction, boolean nack) {
        libs.gobject().g_object_set(transceiver, "direction", direction, "do-nack", nack ? 1 : 0, Pointer.NULL);
    }

    /** The transceiver a webrtcbin pad belongs to (a new reference: unref it). */
    Pointer transceiverOf(Pointer pad) {
        PointerByReference t = new PointerByReference();
        libs.gobject().g_object_get(pad, "transceiver", t, Pointer.NULL);
        return t.getValue();
    }

    /**
     * Adds a receive-only transceiver limited to {@code caps}, with transport-wide congestion
     * control feedback ({@link TransportFeedback}) when {@code transportFeedback}; {@code nack}
     * asks the peer to retransmit.
     */
    void addReceiveTransceiver(String caps, boolean nack, boolean transportFeedback) {
        int feedbackId = transportFeedback ? TransportFeedback.DEFAULT_ID : TransportFeedback.NONE;
        String withFeedback = TransportFeedback.withFeedback(caps, feedbackId);
        Pointer c = libs.gst().gst_caps_from_string(withFeedback);
        try {
            PointerByReference t = new PointerByReference();
            libs.gobject().g_signal_emit_by_name(bin, "add-transceiver", GstApi.DIRECTION_RECVONLY, c, t);
            if (t.getValue() == null) {
                throw new EncodedRtcException("session '" + session + "': webrtcbin refused a receive transceiver for " + withFeedback);
            }
            libs.gobject().g_object_set(t.getValue(), "do-nack", nack ? 1 : 0, Pointer.NULL);
            // webrtcbin keeps its transceivers until it is disposed, so the pointer stays valid without our reference
            if (transportFeedback) {
                receiveTransceivers.add(new ReceiveTransceiver(t.getValue(), caps, feedbackId));
            }
            libs.gobject().g_object_unref(t.getValue());
        } finally {
            libs.gst().gst_mini_object_unref(c);
        }
    }

    /**
     * Before a peer's offer is applied: gives the receive transceivers that have transport-wide feedback
     * extension at the offer's id (or none, when the offer has none), so that the answer carries it.
     */
    void matchTransportFeedback(String offer) {
        int id = TransportFeedback.extensionId(offer);
        for (int i = 0; i < receiveTransceivers.size(); i++) {
            ReceiveTransceiver r = receiveTransceivers.get(i);
            if (r.feedbackId() != id) {
                setCodecPreferences(r.transceiver(), TransportFeedback.withFeedback(r.caps(), id));
                receiveTransceivers.set(i, new ReceiveTransceiver(r.transceiver(), r.caps(), id));
            }
        }
    }

    /** Sets the codecs a transceiver accepts (e.g. on one webrtcbin made for a remote offer). */
    void setCodecPreferences(Pointer transceiver, String caps) {
        Pointer c = libs.gst().gst_caps_from_string(caps);
        try {
            libs.gobject().g_object_set(transceiver, "codec-preferences", c, Pointer.NULL);
        } finally {
            libs.gst().gst_mini_object_unref(c);
        }
    }
}
