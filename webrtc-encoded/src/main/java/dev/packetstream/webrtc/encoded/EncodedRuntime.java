package dev.packetstream.webrtc.encoded;

import dev.packetstream.core.peer.Signaller;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.freedesktop.gstreamer.Gst;

/**
 * The owner of GStreamer for this module: initialises it (segfault trap off, WebRTC plugins loaded
 * up front), runs its main loop, makes {@link EncodedPeerSession}s and closes them. Close it.
 *
 * <pre>{@code
 * try (EncodedRuntime gst = new EncodedRuntime("relay")) {
 *     EncodedPeerSession viewer = gst.newSession("viewer-1", EncodedSessionConfig.defaults(), signaller);
 *     ...
 * }   // closes every session, then stops the main loop
 * }</pre>
 *
 * <h2>Process-wide GStreamer</h2>
 * GStreamer can be initialised only once per process (it cannot start again after
 * {@code gst_deinit}). The first runtime initialises it and it stays initialised for the JVM's
 * life; every runtime shares it and its main-loop thread ({@code gst-main-loop}, a daemon thread
 * that runs while at least one runtime is open). Runtimes are otherwise independent: each owns
 * its sessions, and closing one does not disturb another. No state is visible across runtimes.
 *
 * <h2>Missing GStreamer</h2>
 * The constructor throws {@link GstMissingException}, whose message names the Debian packages to
 * install, when the libraries or one of the needed plugins are missing.
 *
 * <h2>Threads</h2>
 * Thread safe. The JVM can exit once every runtime is closed: every thread this module starts is a
 * daemon thread.
 */
public final class EncodedRuntime implements AutoCloseable {
    private final String name;
    private final GstProcess process;
    private final List<EncodedPeerSession> sessions = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Starts a runtime.
     *
     * @throws GstMissingException when GStreamer or a needed plugin is not installed
     */
    public EncodedRuntime(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a runtime needs a name: it appears in thread names and errors");
        }
        this.name = name;
        this.process = GstProcess.acquire(name);
    }

    public String name() {
        return name;
    }

    /** The GStreamer version in use, e.g. "GStreamer 1.22.0". */
    public String gstreamerVersion() {
        return Gst.getVersionString();
    }

    /**
     * A new peer session talking through {@code signaller} (it binds its listener now).
     *
     * @throws EncodedRtcException when GStreamer cannot make the session's elements
     */
    public EncodedPeerSession newSession(String sessionName, EncodedSessionConfig config, Signaller signaller) {
        if (closed.get()) {
            throw new IllegalStateException("runtime '" + name + "' is closed: cannot create session '" + sessionName + "'");
        }
        EncodedPeerSession s = new EncodedPeerSession(this, sessionName, config, signaller);
        sessions.add(s);
        return s;
    }

    /** The sessions not yet closed. */
    public List<EncodedPeerSession> sessions() {
        return List.copyOf(sessions);
    }

    /** Closes every session (waiting for each), then leaves GStreamer's main loop. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<RuntimeException> failures = new ArrayList<>();
        for (EncodedPeerSession s : List.copyOf(sessions)) {
            try {
                s.close();
                s.closedFuture().join();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        process.release();
        if (!failures.isEmpty()) {
            EncodedRtcException e = new EncodedRtcException("runtime '" + name + "': " + failures.size()
                    + " session(s) failed to close; first: " + failures.get(0).getMessage(), failures.get(0));
            failures.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
    }

    GstApi.Libs libs() {
        return process.libs;
    }

    void sessionClosed(EncodedPeerSession s) {
        sessions.remove(s);
    }

    @Override
    public String toString() {
        return "EncodedRuntime('" + name + "', " + sessions.size() + " sessions)";
    }
}
