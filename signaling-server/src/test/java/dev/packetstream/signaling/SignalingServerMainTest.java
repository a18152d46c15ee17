package dev.packetstream.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone server's options reach the server it builds. */
class SignalingServerMainTest {
    private static final String SECRET = "secret-from-a-file-at-least-32-bytes!";

    @Test
    void theOptionsSetPortLimitsOriginsAndTheTokenSecret(@TempDir Path dir) throws Exception {
        Path secretFile = Files.writeString(dir.resolve("secret"), SECRET + "\n");
        String[] args = {"--port", "0", "--bind", "127.0.0.1", "--allowed-origins", "https://a.example, https://b.example",
            "--token-secret-file", secretFile.toString(), "--max-peers-per-room", "1", "--max-message-bytes", "2048",
            "--max-messages-per-second", "30", "--max-rooms", "5", "--idle-timeout-seconds", "30"};
        WebSocketClient client = new WebSocketClient();
        client.start();
        try (SignalingServer server = SignalingServerMain.parse(args).build().start()) {
            TokenIssuer issuer = TokenIssuer.withSecret(SECRET);
            try (RawPeer first = RawPeer.connect(client, server.webSocketUri(), "https://b.example");
                 RawPeer second = RawPeer.connect(client, server.webSocketUri())) {
                first.send("{\"type\":\"join\",\"room\":\"r\",\"role\":\"viewer\"}");
                first.expectError("token-required");
                first.send("{\"type\":\"join\",\"room\":\"r\",\"role\":\"viewer\",\"token\":\""
                        + issuer.issue("r", "viewer", Duration.ofMinutes(1)) + "\"}");
                var joined = first.expect("joined");
                assertThat(joined.get("limits").get("maxMessageBytes").asInt()).isEqualTo(2048);
                assertThat(joined.get("limits").get("maxMessagesPerSecond").asInt()).isEqualTo(30);
                assertThat(joined.get("limits").get("idleTimeoutMs").asLong()).isEqualTo(30_000);
                second.send("{\"type\":\"join\",\"room\":\"r\",\"role\":\"publisher\",\"token\":\""
                        + issuer.issue("r", "publisher", Duration.ofMinutes(1)) + "\"}");
                second.expectError("room-full");
            }
            assertThat(server.port()).isPositive();
        } finally {
            client.stop();
        }
    }

    @Test
    void theLimitOptionsSetEveryLimitWhateverTheirOrder() throws Exception {
        String[] args = {"--max-pending-bytes-per-peer", "40000000", "--max-message-bytes", "33554432",
            "--max-buffered-bytes", "1000000000000", "--max-pending-per-peer", "7", "--max-connections", "11",
            "--max-connections-per-address", "3", "--max-rooms-per-address", "2", "--request-header-timeout-seconds", "4",
            "--write-timeout-seconds", "5"};
        SignalingLimits limits = SignalingServerMain.parse(args).limits();
        assertThat(limits.maxPendingBytesPerPeer()).isEqualTo(40_000_000L);
        assertThat(limits.maxMessageBytes()).isEqualTo(33_554_432);
        assertThat(limits.maxBufferedBytes()).isEqualTo(1_000_000_000_000L);
        assertThat(limits.maxPendingPerPeer()).isEqualTo(7);
        assertThat(limits.maxConnections()).isEqualTo(11);
        assertThat(limits.maxConnectionsPerAddress()).isEqualTo(3);
        assertThat(limits.maxRoomsPerAddress()).isEqualTo(2);
        assertThat(limits.requestHeaderTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(limits.writeTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> SignalingServerMain.parse(new String[] {"--max-pending-bytes-per-peer", "1000"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxMessageBytes");
    }

    @Test
    void anUnknownOptionOrAMissingValueIsNamed() {
        assertThatThrownBy(() -> SignalingServerMain.parse(new String[] {"--prot", "80"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--prot");
        assertThatThrownBy(() -> SignalingServerMain.parse(new String[] {"--port"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--port needs a value");
        assertThatThrownBy(() -> SignalingServerMain.parse(new String[] {"--port", "eighty"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eighty");
        assertThatThrownBy(() -> SignalingServerMain.parse(new String[] {"--allowed-origins", "evil.example"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scheme://host");
    }
}
