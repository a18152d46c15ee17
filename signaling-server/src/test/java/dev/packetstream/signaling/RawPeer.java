package dev.packetstream.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A protocol-level test peer: a real Jetty WebSocket connection that sends raw text and records
 * every message the server sends, so tests can check the wire format itself.
 */
public final class RawPeer implements Session.Listener.AutoDemanding, AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private volatile Session session;
    String id;

    static RawPeer connect(WebSocketClient client, URI uri) throws Exception {
        return connect(client, uri, null);
    }

    static RawPeer connect(WebSocketClient client, URI uri, String origin) throws Exception {
        RawPeer peer = new RawPeer();
        ClientUpgradeRequest request = new ClientUpgradeRequest();
        if (origin != null) {
            request.setHeader("Origin", origin);
        }
        client.connect(peer, uri, request).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return peer;
    }

    /** Connects and joins; returns the joined message. */
    static RawPeer joined(WebSocketClient client, URI uri, String room, String role) throws Exception {
        RawPeer peer = connect(client, uri);
        peer.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"role\":\"" + role + "\"}");
        JsonNode joined = peer.expect("joined");
        peer.id = joined.get("id").asText();
        return peer;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
    }

    @Override
    public void onWebSocketText(String message) {
        try {
            received.add(JSON.readTree(message));
        } catch (Exception e) {
            throw new IllegalStateException("server sent non-JSON: " + message, e);
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        closed.complete(statusCode);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        // expected in tests that make the server close connections; the close status is what they check
    }

    void send(String text) {
        session.sendText(text, Callback.NOOP);
    }

    void sendBinary(byte[] bytes) {
        session.sendBinary(ByteBuffer.wrap(bytes), Callback.NOOP);
    }

    /** The next message; fails if it is not of this type or none comes in time. */
    JsonNode expect(String type) throws InterruptedException {
        JsonNode message = received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(message).as("a %s message within %s", type, TIMEOUT).isNotNull();
        assertThat(message.path("type").asText()).as("type of %s", message).isEqualTo(type);
        return message;
    }

    /** The next message, an error with this code. */
    JsonNode expectError(String code) throws InterruptedException {
        JsonNode error = expect("error");
        assertThat(error.path("code").asText()).as("code of %s", error).isEqualTo(code);
        assertThat(error.path("message").asText()).isNotBlank();
        return error;
    }

    /** Asserts nothing arrives within {@code wait} (used after a ping round trip that orders it). */
    void expectNothingBut(String type) throws InterruptedException {
        JsonNode message = received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(message).isNotNull();
        assertThat(message.path("type").asText()).as("unexpected message %s", message).isEqualTo(type);
    }

    /** Sends a ping and returns everything received before its pong: the server's output is ordered. */
    List<JsonNode> drainUntilPong() throws InterruptedException {
        send("{\"type\":\"ping\",\"mid\":\"drain\"}");
        List<JsonNode> before = new ArrayList<>();
        while (true) {
            JsonNode message = received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(message).as("pong within %s", TIMEOUT).isNotNull();
            if (message.path("type").asText().equals("pong") && "drain".equals(message.path("mid").asText())) {
                return before;
            }
            before.add(message);
        }
    }

    /** Takes what has arrived so far, without waiting; true if a message of this type was among it. */
    boolean receivedAny(String type) {
        boolean seen = false;
        for (JsonNode message; (message = received.poll()) != null; ) {
            seen |= message.path("type").asText().equals(type);
        }
        return seen;
    }

    boolean isOpen() {
        return session != null && session.isOpen();
    }

    @Override
    public void close() {
        if (session != null && session.isOpen()) {
            session.close();
        }
    }
}
