package dev.packetstream.webrtc;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCRtpTransceiverDirection;
import dev.onvoid.webrtc.RTCRtpTransceiverInit;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioOptions;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.packetstream.core.peer.SessionEventThread;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A session's media and data: its senders, receivers (and the remote tracks they are attached to),
 * data channels (local, and remote ones awaited by label), and the placeholder sources of
 * receive-only transceivers. Tears them down in two halves around the peer connection's close.
 *
 * <h2>Threads</h2>
 * The lists are thread safe (they change rarely: when media is added); remote tracks and awaited
 * channels are confined to the session's event thread.
 */
final class Transceivers {
    private final PeerSession session;
    private final RTCPeerConnection pc;
    private final SessionEventThread events;

    private final List<WebRtcTrackSender> senders = new CopyOnWriteArrayList<>();
    private final List<WebRtcTrackReceiver> receivers = new CopyOnWriteArrayList<>();
    private final List<WebRtcDataChannel> dataChannels = new CopyOnWriteArrayList<>();
    /** Sources of placeholder tracks for receive-only transceivers; disposed after close. */
    private final List<CustomVideoSource> placeholderSources = new CopyOnWriteArrayList<>();

    // event-thread state
    private final List<MediaStreamTrack> remoteTracks = new ArrayList<>();
    private final Map<String, CompletableFuture<WebRtcDataChannel>> remoteChannels = new HashMap<>();

    Transceivers(PeerSession session, RTCPeerConnection pc, SessionEventThread events) {
        this.session = session;
        this.pc = pc;
        this.events = events;
    }

    void addSender(WebRtcTrackSender s) {
        senders.add(s);
    }

    /** A receiver, attached to the remote tracks already there and to the ones that come later. */
    WebRtcTrackReceiver newReceiver(String receiverName, MediaKind... expect) {
        for (MediaKind k : expect) {
            ensureReceiveTransceiver(k);
        }
        WebRtcTrackReceiver r = new WebRtcTrackReceiver(session, receiverName);
        receivers.add(r);
        events.execute(() -> {
            for (MediaStreamTrack t : remoteTracks) {
                r.attachTrack(t);
            }
        });
        return r;
    }

    WebRtcDataChannel createDataChannel(String label) {
        RTCDataChannel ch = pc.createDataChannel(label, new RTCDataChannelInit());
        if (ch == null) {
            throw new RtcException("session '" + session.name() + "': libwebrtc refused data channel '" + label + "'");
        }
        WebRtcDataChannel w = new WebRtcDataChannel(session, ch, label);
        dataChannels.add(w);
        return w;
    }

    CompletableFuture<WebRtcDataChannel> remoteDataChannel(String label) {
        CompletableFuture<WebRtcDataChannel> f = new CompletableFuture<>();
        events.execute(() -> remoteChannels.computeIfAbsent(label, l -> new CompletableFuture<>()).whenComplete((c, e) -> {
            if (e != null) {
                f.completeExceptionally(e);
            } else {
                f.complete(c);
            }
        }), f);
        return f;
    }

    /** libwebrtc's signaling thread: the peer opened a data channel (its observer registers now). */
    void remoteChannelOpened(RTCDataChannel channel) {
        String label = channel.getLabel();
        WebRtcDataChannel w = new WebRtcDataChannel(session, channel, label);
        dataChannels.add(w);
        events.execute(() -> remoteChannels.computeIfAbsent(label, l -> new CompletableFuture<>()).complete(w));
    }

    /** Event thread: a remote track arrived; every receiver gets it once. */
    void remoteTrack(MediaStreamTrack track) {
        if (track == null || remoteTracks.stream().anyMatch(t -> t.getId().equals(track.getId()))) {
            return;
        }
        remoteTracks.add(track);
        for (WebRtcTrackReceiver r : receivers) {
            r.attachTrack(track);
        }
    }

    AudioTrack newLocalAudioTrack(String id) {
        AudioOptions o = new AudioOptions(); // all processing off: it would cut the level of our audio
        o.echoCancellation = false;
        o.autoGainControl = false;
        o.noiseSuppression = false;
        o.highpassFilter = false;
        return session.runtime().factory().createAudioTrack(id, session.runtime().factory().createAudioSource(o));
    }

    /** Whether the caller is inside an emit of one of the receivers. */
    boolean inReceiverEmit() {
        for (WebRtcTrackReceiver r : receivers) {
            if (r.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    /** Event thread, before the peer connection closes: senders stop, sinks come off, channels close. */
    void stopBeforeClose() {
        for (WebRtcTrackSender s : senders) {
            s.stopPushing();
        }
        for (WebRtcTrackReceiver r : receivers) {
            r.detachAll();
        }
        for (WebRtcDataChannel d : dataChannels) {
            d.closeNative();
        }
    }

    /** Event thread, after the peer connection closed: the senders' and placeholders' sources. */
    void disposeSources() {
        for (WebRtcTrackSender s : senders) {
            s.disposeSources();
        }
        for (CustomVideoSource s : placeholderSources) {
            s.dispose();
        }
    }

    /** Event thread, at close: channels still awaited fail with {@code gone}. */
    void failAwaitedChannels(IllegalStateException gone) {
        remoteChannels.values().forEach(f -> f.completeExceptionally(gone));
    }

    /** Event thread, at close: receivers emit nothing more. */
    void receiversClosed() {
        for (WebRtcTrackReceiver r : receivers) {
            r.sessionClosed();
        }
    }

    private void ensureReceiveTransceiver(MediaKind kind) {
        String k = kind == MediaKind.VIDEO ? MediaStreamTrack.VIDEO_TRACK_KIND : MediaStreamTrack.AUDIO_TRACK_KIND;
        for (RTCRtpTransceiver t : pc.getTransceivers()) {
            MediaStreamTrack track = t.getReceiver().getTrack();
            if (track != null && k.equals(track.getKind())) {
                return;
            }
        }
        // libwebrtc's Java API needs a track to add a transceiver: a placeholder that never sends
        MediaStreamTrack placeholder;
        if (kind == MediaKind.VIDEO) {
            CustomVideoSource src = new CustomVideoSource();
            placeholderSources.add(src);
            placeholder = session.runtime().factory().createVideoTrack(session.name() + "-recv-video", src);
        } else {
            placeholder = newLocalAudioTrack(session.name() + "-recv-audio");
        }
        RTCRtpTransceiverInit init = new RTCRtpTransceiverInit();
        init.direction = RTCRtpTransceiverDirection.RECV_ONLY;
        pc.addTransceiver(placeholder, init);
    }
}
