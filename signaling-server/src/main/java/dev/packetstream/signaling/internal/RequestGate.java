package dev.packetstream.signaling.internal;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The server's outermost handler: tells the {@link HttpConnectionGuard} that a request's headers
 * arrived and, when the request completes, how many bytes its connection had received by then; and answers a WebSocket upgrade of a version other than 13 with HTTP 426 and
 * {@code Sec-WebSocket-Version: 13} (RFC 6455, 4.4) instead of letting it fall through to 404.
 *
 * <h2>Threads</h2>
 * Jetty's request threads; stateless apart from the guard.
 */
public final class RequestGate extends Handler.Wrapper {
    private final HttpConnectionGuard guard;
    private final String webSocketPath;

    public RequestGate(HttpConnectionGuard guard, String webSocketPath, Handler next) {
        super(next);
        this.guard = guard;
        this.webSocketPath = webSocketPath;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        guard.requestStarted(remote);
        Connection connection = request.getConnectionMetaData().getConnection();
        Request.addCompletionListener(request, failure -> guard.requestCompleted(remote, connection.getBytesIn()));
        String version = request.getHeaders().get(HttpHeader.SEC_WEBSOCKET_VERSION);
        if (version != null && !version.trim().equals("13") && webSocketPath.equals(request.getHttpURI().getPath())
                && "websocket".equalsIgnoreCase(request.getHeaders().get(HttpHeader.UPGRADE))) {
            response.setStatus(426);
            response.getHeaders().put(HttpHeader.SEC_WEBSOCKET_VERSION, "13");
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            String body = "WebSocket version " + version.trim() + " is not supported: use version 13 (RFC 6455)\n";
            response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
            return true;
        }
        return super.handle(request, response, callback);
    }
}
