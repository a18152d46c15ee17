package dev.packetstream.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A server that requires tokens refuses joins without a valid one, and still serves the others. */
class SignalingServerTokenTest {
    private final TokenIssuer issuer = TokenIssuer.withSecret("a-test-secret-of-at-least-32-bytes-long");
    private SignalingServer server;
    private WebSocketClient client;
    private URI ws;

    @BeforeEach
    void start() throws Exception {
        server = SignalingServer.builder().requireTokens(issuer).build().start();
        ws = server.webSocketUri();
        client = new WebSocketClient();
        client.start();
    }

    @AfterEach
    void stop() throws Exception {
        client.stop();
        server.close();
    }

    private RawPeer joinWith(String room, String role, String token) throws Exception {
        RawPeer peer = RawPeer.connect(client, ws);
        peer.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"role\":\"" + role + "\""
                + (token == null ? "" : ",\"token\":\"" + token + "\"") + "}");
        return peer;
    }

    @Test
    void aValidTokenJoinsAndMissingExpiredForgedOrMismatchedOnesAreRefused() throws Exception {
        try (RawPeer member = joinWith("r", "viewer", issuer.issue("r", "viewer", Duration.ofMinutes(1)))) {
            member.expect("joined");

            TokenIssuer past = new TokenIssuer("a-test-secret-of-at-least-32-bytes-long".getBytes(StandardCharsets.UTF_8),
                    Clock.offset(Clock.systemUTC(), Duration.ofHours(-2)));
            TokenIssuer forger = TokenIssuer.withSecret("the-attacker-guessed-some-other-secret");
            String[][] cases = {
                {null, "token-required"},
                {past.issue("r", "publisher", Duration.ofHours(1)), "token-expired"},
                {forger.issue("r", "publisher", Duration.ofHours(1)), "token-invalid"},
                {"not-a-token", "token-invalid"},
                {issuer.issue("other-room", "publisher", Duration.ofHours(1)), "token-mismatch"},
                {issuer.issue("r", "viewer", Duration.ofHours(1)), "token-mismatch"},
            };
            for (String[] c : cases) {
                try (RawPeer intruder = joinWith("r", "publisher", c[0])) {
                    assertThat(intruder.expectError(c[1]).get("ref").asText()).isEqualTo("join");
                    intruder.send("{\"type\":\"event\",\"data\":{\"x\":1}}");
                    intruder.expectError("not-joined");
                }
            }
            assertThat(member.drainUntilPong()).as("no refused peer was announced or heard").isEmpty();
            assertThat(server.figures().peers()).isEqualTo(1);
            assertThat(server.figures().rejected(ErrorCode.TOKEN_INVALID)).isEqualTo(2);

            try (RawPeer publisher = joinWith("r", "publisher", issuer.issue("r", "publisher", Duration.ofMinutes(1)))) {
                publisher.expect("joined");
                assertThat(member.expect("peer-joined").get("peer").get("role").asText()).isEqualTo("publisher");
            }
        }
    }
}
