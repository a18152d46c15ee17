package dev.packetstream.signaling.websocket;

import dev.packetstream.signaling.internal.ClientEndpoint;
import java.util.Objects;
import org.eclipse.jetty.websocket.api.Session;

/**
 * What Jetty calls for a {@code SignalingClient}'s WebSocket connection: hands every call to its
 * {@link ClientEndpoint}, on Jetty's thread, unchanged. It overrides exactly the methods the
 * endpoint does (whole text messages). See the package documentation for why this class is in an
 * exported package.
 */
public final class ClientSocketListener implements Session.Listener.AutoDemanding {
    private final ClientEndpoint endpoint;

    public ClientSocketListener(ClientEndpoint endpoint) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    }

    @Override
    public void onWebSocketOpen(Session session) {
        endpoint.onWebSocketOpen(session);
    }

    @Override
    public void onWebSocketText(String text) {
        endpoint.onWebSocketText(text);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        endpoint.onWebSocketClose(statusCode, reason);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        endpoint.onWebSocketError(cause);
    }
}
