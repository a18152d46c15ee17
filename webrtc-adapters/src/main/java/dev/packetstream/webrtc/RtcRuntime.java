package dev.packetstream.webrtc;

import dev.packetstream.core.peer.Signaller;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.RTCRtpCodecCapability;
import dev.onvoid.webrtc.media.MediaType;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One libwebrtc stack: a {@code PeerConnectionFactory} on a {@code HeadlessAudioDeviceModule}
 * (virtual speaker and microphone: works on a machine with no sound card), and the
 * {@link AudioPullQueue} its microphone pulls custom audio from. Create one with
 * {@code new RtcRuntime("name")}, make sessions with {@link #newSession}, and close it (try-with-
 * resources): libwebrtc's threads are non-daemon, and the JVM does not exit while a factory lives.
 *
 * <pre>{@code
 * try (RtcRuntime rtc = new RtcRuntime("publisher")) {
 *     PeerSession session = rtc.newSession("viewer-1", PeerSessionConfig.defaults(), signaller);
 *     ...
 * }
 * }</pre>
 *
 * <h2>Audio</h2>
 * The audio module is started at construction in the only order found to work for sending and
 * receiving alike:
 * {@code initPlayout(); startPlayout();} then {@code setAudioSource(queue)}. Remote audio then
 * reaches {@link WebRtcTrackReceiver}s, and the module's capture thread pulls 10 ms chunks of what
 * audio {@link WebRtcTrackSender}s write. The module feeds <em>every</em> audio send stream of this
 * runtime: one audio sender at a time per runtime (a second one is refused); use a second runtime
 * for independent audio.
 *
 * <h2>Close order</h2>
 * {@link #close()} closes every open session (each: senders stop → receivers' sinks removed →
 * data channels closed and disposed → peer connection closed → custom video sources disposed),
 * then {@code adm.stopRecording()} → {@code adm.stopPlayout()} → {@code factory.dispose()} →
 * {@code adm.dispose()}. Disposing the factory before a peer connection is closed segfaults,
 * which is why closing goes through here. Closing twice does nothing.
 *
 * <h2>Threads</h2>
 * Thread safe. Two runtimes in one JVM share nothing (no static state); each has its own
 * libwebrtc threads. {@link #close()} refuses to run on a thread of one of its own sessions (its
 * event thread or a receiver's delivery thread), where it would wait for itself.
 */
public final class RtcRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RtcRuntime.class);

    private final String name;
    private final HeadlessAudioDeviceModule adm;
    private final PeerConnectionFactory factory;
    private final AudioPullQueue audioQueue = new AudioPullQueue();
    private final List<PeerSession> sessions = new ArrayList<>();
    private final AtomicInteger sessionSeq = new AtomicInteger();
    private Object audioOwner;
    private boolean closed;

    /**
     * Starts a libwebrtc stack named {@code name} (the name appears in thread names and errors).
     *
     * @throws RtcException when the native library cannot load (see the README's prerequisites:
     *         libpulse0 must be installed, and {@code java.io.tmpdir} must not be noexec)
     */
    public RtcRuntime(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an RtcRuntime needs a name: it appears in thread names and errors");
        }
        this.name = name;
        HeadlessAudioDeviceModule module;
        PeerConnectionFactory f;
        try {
            module = new HeadlessAudioDeviceModule();
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            throw new RtcException("runtime '" + name + "': libwebrtc (webrtc-java) failed to load: " + e
                    + ". Install libpulse0 (apt-get install -y libpulse0) and make sure java.io.tmpdir is not mounted noexec", e);
        }
        try {
            f = new PeerConnectionFactory(module);
        } catch (RuntimeException | Error e) {
            module.dispose();
            throw new RtcException("runtime '" + name + "': creating the PeerConnectionFactory failed: " + e, e);
        }
        this.adm = module;
        this.factory = f;
        adm.initPlayout();
        adm.startPlayout();
        adm.setAudioSource(audioQueue); // after startPlayout, or remote audio stays silent
        log.debug("runtime '{}' started", name);
    }

    /** The runtime's name. */
    public String name() {
        return name;
    }

    /**
     * A new peer session that talks to its peer through {@code signaller}. The session binds
     * itself as the signaller's listener.
     *
     * @throws IllegalStateException when the runtime is closed
     */
    public PeerSession newSession(String sessionName, PeerSessionConfig config, Signaller signaller) {
        synchronized (this) {
            requireOpen("create session '" + sessionName + "'");
            PeerSession s = new PeerSession(this, sessionName, sessionSeq.incrementAndGet(), config, signaller);
            sessions.add(s);
            return s;
        }
    }

    /** The sessions that are not closed yet. */
    public synchronized List<PeerSession> sessions() {
        return List.copyOf(sessions);
    }

    /** The video codecs this runtime's libwebrtc can encode, as MIME types (e.g. {@code video/VP8}). */
    public List<String> videoCodecs() {
        List<String> out = new ArrayList<>();
        for (RTCRtpCodecCapability c : factory.getRtpSenderCapabilities(MediaType.VIDEO).getCodecs()) {
            String mime = c.getMimeType();
            if (!out.contains(mime)) {
                out.add(mime);
            }
        }
        return out;
    }

    /** Milliseconds of sent audio waiting in the runtime's audio queue. */
    public int queuedAudioMillis() {
        return audioQueue.queuedMillis();
    }

    /** Audio samples the queue dropped because it was full (nothing was pulling). */
    public long droppedAudioSamples() {
        return audioQueue.droppedSamples();
    }

    /** Audio samples skipped to absorb clock drift. */
    public long skippedAudioSamples() {
        return audioQueue.skippedSamples();
    }

    /** Pulls that found too little audio and played silence. */
    public long audioUnderruns() {
        return audioQueue.underruns();
    }

    /** Whether {@link #close()} has been called. */
    public synchronized boolean isClosed() {
        return closed;
    }

    PeerConnectionFactory factory() {
        return factory;
    }

    /** Claims the runtime's one audio input for {@code owner}. */
    synchronized AudioPullQueue claimAudio(Object owner, String who) {
        requireOpen("add audio sender " + who);
        if (audioOwner != null && audioOwner != owner) {
            throw new IllegalStateException("runtime '" + name + "' already has an audio sender (" + audioOwner
                    + "); its headless audio module feeds every audio send stream, so " + who
                    + " cannot send different audio: close the other audio sender or use a second RtcRuntime");
        }
        audioOwner = owner;
        return audioQueue;
    }

    synchronized void releaseAudio(Object owner) {
        if (audioOwner == owner) {
            audioOwner = null;
            audioQueue.clear();
        }
    }

    synchronized void sessionClosed(PeerSession s) {
        sessions.remove(s);
    }

    private void requireOpen(String what) {
        if (closed) {
            throw new IllegalStateException("runtime '" + name + "' is closed: cannot " + what + "; create a new RtcRuntime");
        }
    }

    /**
     * Closes every open session, then the audio module and the factory, in the order that never
     * crashed (see the class comment). Idempotent. Blocks until done (about 25 ms plus 1 ms per
     * session).
     */
    @Override
    public void close() {
        List<PeerSession> open;
        synchronized (this) {
            if (closed) {
                return;
            }
            for (PeerSession s : sessions) {
                if (s.inEventLoop()) {
                    throw new IllegalStateException("runtime '" + name + "' cannot be closed from session '" + s.name()
                            + "''s own thread (" + Thread.currentThread().getName() + "): the session cannot finish closing "
                            + "while its thread waits here; close the runtime from another thread");
                }
            }
            closed = true;
            open = new ArrayList<>(sessions);
        }
        List<String> stuck = new ArrayList<>();
        for (PeerSession s : open) {
            try {
                s.close();
            } catch (RuntimeException e) {
                log.error("runtime '{}': closing session '{}' failed", name, s.name(), e);
                stuck.add(s.name());
            }
        }
        if (!stuck.isEmpty()) {
            // disposing the factory under a peer connection that is not closed segfaults the JVM
            throw new RtcException("runtime '" + name + "': sessions " + stuck + " did not close, so libwebrtc was NOT disposed "
                    + "(that would crash the JVM) and this JVM will not exit by itself; find what blocks their event threads");
        }
        adm.stopRecording();
        adm.stopPlayout();
        factory.dispose();
        adm.dispose();
        log.debug("runtime '{}' closed", name);
    }

    @Override
    public String toString() {
        return "RtcRuntime('" + name + "')";
    }
}
