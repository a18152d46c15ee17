package dev.packetstream.signaling.websocket;

import dev.packetstream.signaling.internal.SignalingEndpoint;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * What Jetty calls for one server-side WebSocket connection: hands every call to its
 * {@link SignalingEndpoint}, on Jetty's thread, unchanged. It overrides exactly the methods the
 * endpoint does (Jetty chooses partial or whole-message delivery by which methods a listener
 * overrides). See the package documentation for why this class is in an exported package.
 */
public final class ServerSocketListener implements Session.Listener.AutoDemanding {
    private final SignalingEndpoint endpoint;

    public ServerSocketListener(SignalingEndpoint endpoint) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    }

    @Override
    public void onWebSocketOpen(Session session) {
        endpoint.onWebSocketOpen(session);
    }

    @Override
    public void onWebSocketPartialText(String fragment, boolean last) {
        endpoint.onWebSocketPartialText(fragment, last);
    }

    @Override
    public void onWebSocketPartialBinary(ByteBuffer payload, boolean last, Callback callback) {
        endpoint.onWebSocketPartialBinary(payload, last, callback);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        endpoint.onWebSocketError(cause);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        endpoint.onWebSocketClose(statusCode, reason);
    }
}
