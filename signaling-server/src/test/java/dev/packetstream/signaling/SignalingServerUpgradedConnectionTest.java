package dev.packetstream.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.Test;

/**
 * The request-header timeout is for HTTP connections that are slow to send a request: a WebSocket
 * (an upgraded connection) that talks is not closed by it, and it counts once towards its
 * address's connections.
 */
class SignalingServerUpgradedConnectionTest {

    @Test
    void aWebSocketStaysOpenPastTheRequestHeaderTimeout() throws Exception {
        WebSocketClient client = new WebSocketClient();
        client.start();
        try (SignalingServer server = SignalingServer.builder().limits(SignalingLimits.defaults()
                .withRequestHeaderTimeout(Duration.ofMillis(500)).withMaxConnectionsPerAddress(2)).build().start();
             RawPeer peer = RawPeer.joined(client, server.webSocketUri(), "r", "viewer")) {
            long until = System.nanoTime() + Duration.ofSeconds(2).toNanos(); // four header timeouts
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
                peer.send("{\"type\":\"ping\"}");
                peer.expect("pong");
                return System.nanoTime() > until;
            });
            assertThat(peer.isOpen()).isTrue();
            assertThat(server.figures().rejected(ErrorCode.REQUEST_TIMEOUT)).isZero();
            // One WebSocket is one connection of its address: a second one fits under a limit of 2.
            try (RawPeer second = RawPeer.joined(client, server.webSocketUri(), "r", "viewer")) {
                assertThat(second.id).isNotBlank();
            }
            assertThat(server.figures().rejected(ErrorCode.TOO_MANY_CONNECTIONS)).isZero();
        } finally {
            client.stop();
        }
    }
}
