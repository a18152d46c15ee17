package dev.packetstream.signaling.internal;

import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty WebSocket endpoint of one connection attempt of the Java client: hands what Jetty
 * reports to the client's connection, tagged with the attempt's generation so that reports of a
 * stale attempt are ignored. Public only because Jetty binds listener methods through method
 * handles; not an API.
 */
public final class ClientEndpoint implements Session.Listener.AutoDemanding {
    private static final Logger LOG = LoggerFactory.getLogger(ClientEndpoint.class);

    /** What the connection does with an attempt's events (on Jetty's threads). */
    public interface Attempt {
        void opened(int generation, Session session);

        void text(int generation, String text);

        void closed(int generation, int statusCode, String reason);
    }

    private final int generation;
    private final Attempt attempt;

    public ClientEndpoint(int generation, Attempt attempt) {
        this.generation = generation;
        this.attempt = attempt;
    }

    @Override
    public void onWebSocketOpen(Session opened) {
        attempt.opened(generation, opened);
    }

    @Override
    public void onWebSocketText(String text) {
        attempt.text(generation, text);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        attempt.closed(generation, statusCode, reason);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("signaling connection error", cause);
    }
}
