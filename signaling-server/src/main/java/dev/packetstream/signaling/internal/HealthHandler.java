package dev.packetstream.signaling.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.packetstream.signaling.SignalingFigures;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /health}: the server's figures as JSON (see README); status 200, or 503 with
 * {@code "status":"degraded"} while a server that shares rooms through Redis has lost it. Other
 * requests pass on.
 */
public final class HealthHandler extends Handler.Abstract.NonBlocking {
    public static final String PATH = "/health";

    private final Supplier<SignalingFigures> figures;
    private final ObjectMapper json;

    public HealthHandler(Supplier<SignalingFigures> figures, ObjectMapper json) {
        this.figures = figures;
        this.json = json;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!PATH.equals(Request.getPathInContext(request))) {
            return false;
        }
        if (!HttpMethod.GET.is(request.getMethod())) {
            Response.writeError(request, response, callback, 405, "use GET " + PATH);
            return true;
        }
        SignalingFigures snapshot = figures.get();
        ObjectNode body = json.createObjectNode()
                .put("status", snapshot.healthy() ? "ok" : "degraded")
                .put("rooms", snapshot.rooms())
                .put("peers", snapshot.peers())
                .put("connections", snapshot.connections())
                .put("messagesReceived", snapshot.messagesReceived())
                .put("messagesRelayed", snapshot.messagesRelayed())
                .put("messagesRejected", snapshot.rejectedTotal())
                .put("heapUsedBytes", snapshot.heapUsedBytes())
                .put("bufferedBytes", snapshot.bufferedBytes());
        if (snapshot.redis() != null) {
            body.put("redis", snapshot.redis());
        }
        ObjectNode rejected = body.putObject("rejected");
        snapshot.rejected().entrySet().stream()
                .sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> rejected.put(e.getKey().wire(), e.getValue()));
        // 503 while Redis is lost: a load balancer sends new clients elsewhere; connected ones stay served.
        response.setStatus(snapshot.healthy() ? 200 : 503);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body.toString().getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}
