package dev.packetstream.samples.common;

import dev.packetstream.signaling.SignalingServer;
import dev.packetstream.signaling.bridge.RoomConnection;
import dev.packetstream.signaling.bridge.RoomListener;
import java.net.URI;

/**
 * The signaling server a sample embeds and the sample's own place in its room, started and joined
 * together by {@link #open}, with the addresses of the pages the server serves for that room.
 *
 * <h2>Closing</h2>
 * {@link #leave()} leaves the room (the listener hears nothing more); {@link #close()} leaves if
 * that is not done yet, then stops the server. A sample leaves first or after closing its
 * sessions, as it needs, and stops the server last. Both are idempotent, and do nothing for what
 * was never opened, so a sample's close needs no checks when its start failed half-way.
 *
 * <h2>Threads</h2>
 * Opened by the sample's constructor; the pages and the connection are read from any thread once it
 * has returned; leaving and closing are synchronized.
 */
public final class HostedRoom implements AutoCloseable {
    private final ServerOptions options;
    private final String room;
    private final String role;
    private volatile SignalingServer server;
    private volatile RoomConnection connection;
    private boolean left;
    private boolean closed;

    /** A room not yet open: the sample will join {@code options.room} as {@code role}. */
    public HostedRoom(ServerOptions options, String role) {
        this.options = options;
        this.room = options.room;
        this.role = role;
    }

    /**
     * Starts the server ({@link EmbeddedServer#start}) and joins the room; from then on
     * {@code listener} hears about the room's peers on the signaling client's thread (it may be
     * called before this returns).
     *
     * @throws SampleException when the port is busy, or the join is refused or not answered (the
     *         server is stopped then)
     */
    public void open(RoomListener listener) {
        SignalingServer s = EmbeddedServer.start(options);
        this.server = s;
        this.connection = EmbeddedServer.joinRoom(s, room, role, listener);
    }

    /** The server, or null before {@link #open}. */
    public SignalingServer server() {
        return server;
    }

    /** The sample's connection to its room (its client, its directory of peers), or null before {@link #open}. */
    public RoomConnection connection() {
        return connection;
    }

    /** The address of a page the server serves, e.g. {@code recorder.html?room=demo}. */
    public URI page(String pathAndQuery) {
        SignalingServer s = server;
        if (s == null) {
            throw new IllegalStateException("the room " + room + " is not open yet: call open() first");
        }
        return EmbeddedServer.page(s, pathAndQuery);
    }

    /** The viewer page of this room. */
    public URI viewerPage() {
        return page("viewer.html?room=" + room);
    }

    /** The page that publishes a browser camera (and microphone) to the sample's role in this room. */
    public URI publisherPage() {
        return page("publisher.html?room=" + room + "&to=" + role);
    }

    /** Leaves the room (if joined). Idempotent. */
    public synchronized void leave() {
        RoomConnection c = connection;
        if (!left && c != null) {
            left = true;
            c.close();
        }
    }

    /** Leaves the room if not yet done, then stops the server (if started). Idempotent. */
    @Override
    public synchronized void close() {
        leave();
        SignalingServer s = server;
        if (!closed && s != null) {
            closed = true;
            s.close();
        }
    }
}
