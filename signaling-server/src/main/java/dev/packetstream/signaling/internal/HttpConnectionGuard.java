package dev.packetstream.signaling.internal;

import dev.packetstream.signaling.ErrorCode;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches every TCP connection of the connector (a {@link Connection.Listener} bean on it):
 *
 * <ul>
 *   <li>An address with more than {@code maxPerAddress} TCP connections open has the excess closed
 *       at once ({@link ErrorCode#TOO_MANY_CONNECTIONS}), so one address cannot use up the file
 *       descriptors that {@code /health} and everyone else need.</li>
 *   <li>A connection that is not a WebSocket and has begun a request (it received bytes since its
 *       previous request completed) must complete the request's headers within
 *       {@code headerTimeoutNanos} of opening or of its previous request; otherwise {@link #sweep}
 *       closes it ({@link ErrorCode#REQUEST_TIMEOUT}). Jetty's own idle timeout is reset by every
 *       byte, so a client trickling one header byte at a time would never be closed by it; a
 *       connection that sends nothing is left to that idle timeout (an idle keep-alive connection
 *       is normal).</li>
 * </ul>
 * Only Jetty's public API is used (so that the server runs on the module path, where Jetty's
 * {@code internal} packages are not exported): an HTTP connection is told apart from a WebSocket one
 * by {@link ConnectionMetaData}, and "has begun a request" is {@link Connection#getBytesIn()} grown
 * past its value when the previous request completed.
 * A TCP connection is counted once, however often its connection object changes (an upgrade from
 * HTTP to WebSocket replaces it on the same endpoint), and forgotten when its endpoint closes.
 * Requests and upgrades are reported by the {@link RequestGate} handler and the upgrade mapping,
 * keyed by the remote socket address (unique per open TCP connection).
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
    private final Map<EndPoint, Tracked> open = new ConcurrentHashMap<>();
    private final Map<SocketAddress, Tracked> byRemote = new ConcurrentHashMap<>();
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();

    public HttpConnectionGuard(int maxPerAddress, long headerTimeoutNanos, Counters counters) {
        this.maxPerAddress = maxPerAddress;
        this.headerTimeoutNanos = headerTimeoutNanos;
        this.counters = counters;
    }

    @Override
    public void onOpened(Connection connection) {
        if (!(connection.getEndPoint() instanceof SocketChannelEndPoint endPoint)) {
            // a connection layered on another (HTTP inside TLS): the outer one is counted, this
            // one's bytes received tell whether a request is under way
            Tracked outer = byRemote.get(connection.getEndPoint().getRemoteSocketAddress());
            if (outer != null && connection instanceof ConnectionMetaData) {
                outer.http = connection;
            }
            return;
        }
        Tracked known = open.get(endPoint);
        if (known != null) {
            // the same TCP connection, upgraded (HTTP -> WebSocket): not a new one
            known.upgraded |= !(connection instanceof ConnectionMetaData);
            return;
        }
        SocketAddress remote = endPoint.getRemoteSocketAddress();
        InetAddress address = AddressQuota.addressOf(remote);
        Tracked tracked = new Tracked(endPoint, remote, address);
        if (connection instanceof ConnectionMetaData) {
            tracked.http = connection;
        }
        open.put(endPoint, tracked);
        byRemote.put(remote, tracked);
        int count;
        synchronized (perAddress) {
            count = perAddress.merge(address, 1, Integer::sum);
        }
        if (count > maxPerAddress) {
            counters.rejected(ErrorCode.TOO_MANY_CONNECTIONS);
            LOG.debug("closing a TCP connection from {}: it has {} open", address, count);
            endPoint.close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        if (connection.getEndPoint() instanceof SocketChannelEndPoint endPoint && !endPoint.isOpen()) {
            forget(endPoint); // (a connection closed while its endpoint stays open was replaced by an upgrade)
        }
    }

    private void forget(EndPoint endPoint) {
        Tracked tracked = open.remove(endPoint);
        if (tracked == null) {
            return;
        }
        byRemote.remove(tracked.remote, tracked); // (a closed endpoint no longer knows its remote address)
        synchronized (perAddress) {
            perAddress.computeIfPresent(tracked.address, (a, n) -> n == 1 ? null : n - 1);
        }
    }

    /** A request's headers arrived on the connection from {@code remote}. */
    void requestStarted(SocketAddress remote) {
        Tracked tracked = byRemote.get(remote);
        if (tracked != null) {
            tracked.lastRequestNanos = System.nanoTime();
        }
    }

    /**
     * A request on the connection from {@code remote} completed: bytes received after this begin the
     * next one, whose headers are due within the timeout from now (a keep-alive connection may idle
     * long between requests).
     */
    void requestCompleted(SocketAddress remote, long bytesIn) {
        Tracked tracked = byRemote.get(remote);
        if (tracked != null) {
            tracked.bytesAtLastRequestEnd = bytesIn;
            tracked.lastRequestNanos = System.nanoTime();
        }
    }

    /** The connection from {@code remote} became a WebSocket: its idle timeout is the endpoint's. */
    public void upgraded(SocketAddress remote) {
        Tracked tracked = byRemote.get(remote);
        if (tracked != null) {
            tracked.upgraded = true;
        }
    }

    /**
     * Closes the connections that have not started a request in time, and forgets closed ones
     * whose last connection Jetty did not report (a WebSocket connection may not carry listeners).
     */
    void sweep(long nowNanos) {
        for (Tracked tracked : open.values()) {
            if (!tracked.endPoint.isOpen()) {
                forget(tracked.endPoint);
            } else if (!tracked.upgraded && nowNanos - tracked.lastRequestNanos > headerTimeoutNanos
                    && tracked.http != null && tracked.http.getBytesIn() > tracked.bytesAtLastRequestEnd) {
                counters.rejected(ErrorCode.REQUEST_TIMEOUT);
                tracked.endPoint.close();
            }
        }
    }

    /** TCP connections being watched (for tests of the accounting). */
    int watched() {
        return open.size();
    }

    private static final class Tracked {
        final EndPoint endPoint;
        final SocketAddress remote;
        final InetAddress address;
        volatile long lastRequestNanos = System.nanoTime();
        volatile boolean upgraded;
        /** The HTTP connection on this TCP connection (inside TLS for https), once it is known. */
        volatile Connection http;
        /** What {@link #http} had received when its previous request completed. */
        volatile long bytesAtLastRequestEnd;

        Tracked(EndPoint endPoint, SocketAddress remote, InetAddress address) {
            this.endPoint = endPoint;
            this.remote = remote;
            this.address = address;
        }
    }
}
