package dev.packetstream.signaling.internal;

import dev.packetstream.signaling.ErrorCode;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches every TCP connection of the connector (a {@link Connection.Listener} bean on it):
 *
 * <ul>
 *   <li>An address with more than {@code maxPerAddress} TCP connections open has the excess closed
 *       at once ({@link ErrorCode#TOO_MANY_CONNECTIONS}), so one address cannot use up the file
 *       descriptors that {@code /health} and everyone else need.</li>
 *   <li>A connection that is not a WebSocket must start a request (its headers complete) within
 *       {@code headerTimeoutNanos} of opening or of its previous request; otherwise {@link #sweep}
 *       closes it ({@link ErrorCode#REQUEST_TIMEOUT}). Jetty's own idle timeout is reset by every
 *       byte, so a client trickling one header byte at a time would never be closed by it.</li>
 * </ul>
 * Requests and upgrades are reported by the {@link RequestGate} handler, keyed by the remote socket
 * address (unique per open TCP connection).
 *
 * <h2>Threads</h2>
 * Jetty calls the listener methods on its selector threads; the gate on request threads;
 * {@link #sweep} runs on the server's timer thread.
 */
public final class HttpConnectionGuard implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(HttpConnectionGuard.class);

    private final int maxPerAddress;
    private final long headerTimeoutNanos;
    private final Counters counters;
    private final Map<SocketAddress, Tracked> open = new ConcurrentHashMap<>();
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();

    public HttpConnectionGuard(int maxPerAddress, long headerTimeoutNanos, Counters counters) {
        this.maxPerAddress = maxPerAddress;
        this.headerTimeoutNanos = headerTimeoutNanos;
        this.counters = counters;
    }

    @Override
    public void onOpened(Connection connection) {
        if (!(connection.getEndPoint() instanceof SocketChannelEndPoint endPoint)) {
            return; // a connection layered on another (HTTP inside TLS): the outer one is watched
        }
        SocketAddress remote = endPoint.getRemoteSocketAddress();
        Tracked existing = open.get(remote);
        if (existing != null && existing.connection.getEndPoint() == endPoint) {
            // The WebSocket connection that replaces the HTTP one on the same TCP connection (upgrade):
            // the same connection for the limits, and no request headers are expected on it any more.
            existing.connection = connection;
            existing.upgraded = true;
            return;
        }
        InetAddress address = AddressQuota.addressOf(remote);
        int count;
        synchronized (perAddress) {
            count = perAddress.merge(address, 1, Integer::sum);
        }
        open.put(remote, new Tracked(connection, address));
        if (count > maxPerAddress) {
            counters.rejected(ErrorCode.TOO_MANY_CONNECTIONS);
            LOG.debug("closing a TCP connection from {}: it has {} open", address, count);
            endPoint.close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        if (!(connection.getEndPoint() instanceof SocketChannelEndPoint endPoint)) {
            return;
        }
        Tracked tracked = open.get(endPoint.getRemoteSocketAddress());
        if (tracked == null || tracked.connection != connection || endPoint.isOpen()) {
            return; // not the tracked one, or replaced by an upgrade on the still open TCP connection
        }
        if (!open.remove(endPoint.getRemoteSocketAddress(), tracked)) {
            return;
        }
        synchronized (perAddress) {
            perAddress.computeIfPresent(tracked.address, (a, n) -> n == 1 ? null : n - 1);
        }
    }

    /** A request's headers arrived on the connection from {@code remote}. */
    void requestStarted(SocketAddress remote) {
        Tracked tracked = open.get(remote);
        if (tracked != null) {
            tracked.lastRequestNanos = System.nanoTime();
        }
    }

    /** The connection from {@code remote} became a WebSocket: its idle timeout is the endpoint's. */
    public void upgraded(SocketAddress remote) {
        Tracked tracked = open.get(remote);
        if (tracked != null) {
            tracked.upgraded = true;
        }
    }

    /** Closes the connections that have not started a request in time. */
    void sweep(long nowNanos) {
        for (Tracked tracked : open.values()) {
            if (!tracked.upgraded && nowNanos - tracked.lastRequestNanos > headerTimeoutNanos
                    && tracked.connection.getEndPoint().isOpen()) {
                counters.rejected(ErrorCode.REQUEST_TIMEOUT);
                tracked.connection.getEndPoint().close();
            }
        }
    }

    private static final class Tracked {
        volatile Connection connection;
        final InetAddress address;
        volatile long lastRequestNanos = System.nanoTime();
        volatile boolean upgraded;

        Tracked(Connection connection, InetAddress address) {
            this.connection = connection;
            this.address = address;
        }
    }
}
