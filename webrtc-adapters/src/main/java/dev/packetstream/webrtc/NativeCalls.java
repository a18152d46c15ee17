package dev.packetstream.webrtc;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * libwebrtc's callback-style SDP calls as futures. Each callback arrives on the factory's
 * signaling thread and only hands the result to {@code events} (never blocks there); every
 * dependent stage therefore runs on the session's event thread.
 */
final class NativeCalls {
    private final String session;
    private final Executor events;

    NativeCalls(String session, Executor events) {
        this.session = session;
        this.events = events;
    }

    CompletableFuture<RTCSessionDescription> createOffer(RTCPeerConnection pc, RTCOfferOptions options) {
        CompletableFuture<RTCSessionDescription> f = new CompletableFuture<>();
        try {
            pc.createOffer(options, describeObserver(f, "creating an offer"));
        } catch (Exception | Error e) { // see refused()
            f.completeExceptionally(refused("creating an offer", e));
        }
        return f;
    }

    CompletableFuture<RTCSessionDescription> createAnswer(RTCPeerConnection pc) {
        CompletableFuture<RTCSessionDescription> f = new CompletableFuture<>();
        try {
            pc.createAnswer(new RTCAnswerOptions(), describeObserver(f, "creating an answer"));
        } catch (Exception | Error e) {
            f.completeExceptionally(refused("creating an answer", e));
        }
        return f;
    }

    CompletableFuture<Void> setLocal(RTCPeerConnection pc, RTCSessionDescription d) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        try {
            pc.setLocalDescription(d, setObserver(f, "setting the local " + d.sdpType));
        } catch (Exception | Error e) {
            f.completeExceptionally(refused("setting the local " + d.sdpType, e));
        }
        return f;
    }

    CompletableFuture<Void> setRemote(RTCPeerConnection pc, RTCSessionDescription d) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        try {
            pc.setRemoteDescription(d, setObserver(f, "setting the remote " + d.sdpType));
        } catch (Exception | Error e) {
            f.completeExceptionally(refused("setting the remote " + d.sdpType, e));
        }
        return f;
    }

    /**
     * The JNI layer reports a refused call by throwing undeclared checked exceptions or a plain
     * {@code java.lang.Error} (e.g. "Create session description failed"): both become an
     * {@link RtcException}; a {@link VirtualMachineError} is rethrown.
     */
    private RtcException refused(String what, Throwable e) {
        if (e instanceof VirtualMachineError vme) {
            throw vme;
        }
        return new RtcException("session '" + session + "': libwebrtc refused " + what + ": " + e.getMessage()
                + ". Check that the SDP comes unmodified from the peer of this session", e);
    }

    private CreateSessionDescriptionObserver describeObserver(CompletableFuture<RTCSessionDescription> f, String what) {
        return new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                handOff(() -> f.complete(description), f);
            }

            @Override
            public void onFailure(String error) {
                RtcException e = new RtcException("session '" + session + "': libwebrtc failed " + what + ": " + error);
                handOff(() -> f.completeExceptionally(e), f);
            }
        };
    }

    private SetSessionDescriptionObserver setObserver(CompletableFuture<Void> f, String what) {
        return new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                handOff(() -> f.complete(null), f);
            }

            @Override
            public void onFailure(String error) {
                RtcException e = new RtcException("session '" + session + "': libwebrtc refused " + what + ": " + error
                        + ". Check that the SDP comes unmodified from the peer of this session");
                handOff(() -> f.completeExceptionally(e), f);
            }
        };
    }

    /** Runs {@code r} on the event thread; if the session has closed, fails {@code f} instead. */
    void handOff(Runnable r, CompletableFuture<?> f) {
        try {
            events.execute(r);
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new IllegalStateException("session '" + session + "' closed while libwebrtc was working"));
        }
    }
}
