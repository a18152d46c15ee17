package dev.packetstream.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the server makes of requests and messages that are almost right, seen on the wire. */
class SignalingServerWireTest {
    private static final ObjectMapper EXACT = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    private static final String SECRET = "a-wire-test-secret-of-more-than-32-bytes";

    private SignalingServer server;

    @BeforeEach
    void start() {
        server = SignalingServer.builder().allowOrigin("https://app.example.com")
                .requireTokens(TokenIssuer.withSecret(SECRET)).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aHostHeaderAgreeingWithAForeignOriginDoesNotMakeItTheServersOwn() throws Exception {
        int port = server.port();
        try (WireClient rebinding = new WireClient("127.0.0.1", port)) {
            assertThat(rebinding.upgrade("Host: evil.example:" + port, "Origin: http://evil.example:" + port))
                    .as("the DNS-rebinding pattern").isEqualTo(403);
        }
        try (WireClient own = new WireClient("127.0.0.1", port);
             WireClient byName = new WireClient("127.0.0.1", port);
             WireClient configured = new WireClient("127.0.0.1", port)) {
            assertThat(own.upgrade("Origin: http://127.0.0.1:" + port)).as("the pages' own origin").isEqualTo(101);
            assertThat(byName.upgrade("Origin: http://localhost:" + port)).isEqualTo(101);
            assertThat(configured.upgrade("Origin: https://app.example.com")).isEqualTo(101);
        }
        assertThat(server.figures().rejected(ErrorCode.ORIGIN_NOT_ALLOWED)).isEqualTo(1);
    }

    @Test
    void anUpgradeWithTwoOriginHeadersIsRefused() throws Exception {
        try (WireClient twice = new WireClient("127.0.0.1", server.port())) {
            assertThat(twice.upgrade("Origin: https://app.example.com", "Origin: http://evil.example")).isEqualTo(403);
        }
        try (WireClient twiceReversed = new WireClient("127.0.0.1", server.port())) {
            assertThat(twiceReversed.upgrade("Origin: http://evil.example", "Origin: https://app.example.com"))
                    .isEqualTo(403);
        }
    }

    @Test
    void anUpgradeWithAnotherWebSocketVersionGets426NamingVersion13() throws Exception {
        try (WireClient old = new WireClient("127.0.0.1", server.port())) {
            old.writeRaw(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 12\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String head = old.readHead();
            assertThat(WireClient.status(head)).isEqualTo(426);
            assertThat(head).containsIgnoringCase("Sec-WebSocket-Version: 13");
        }
    }

    @Test
    void textAfterTheJsonObjectGetsBadJson() throws Exception {
        try (WireClient peer = new WireClient("127.0.0.1", server.port())) {
            assertThat(peer.upgrade()).isEqualTo(101);
            peer.sendText("{\"type\":\"ping\"}garbage");
            JsonNode error = EXACT.readTree(peer.readText());
            assertThat(error.path("code").asText()).isEqualTo("bad-json");
            peer.sendText("{\"type\":\"ping\"} {\"type\":\"ping\"}");
            assertThat(EXACT.readTree(peer.readText()).path("code").asText()).isEqualTo("bad-json");
        }
    }

    @Test
    void numbersInEventDataReachThePeerWithTheirExactValue() throws Exception {
        TokenIssuer issuer = TokenIssuer.withSecret(SECRET);
        try (WireClient a = new WireClient("127.0.0.1", server.port());
             WireClient b = new WireClient("127.0.0.1", server.port())) {
            assertThat(a.upgrade()).isEqualTo(101);
            assertThat(b.upgrade()).isEqualTo(101);
            a.sendText("{\"type\":\"join\",\"room\":\"n\",\"role\":\"publisher\",\"token\":\""
                    + issuer.issue("n", "publisher", Duration.ofMinutes(1)) + "\"}");
            assertThat(a.readText()).contains("\"joined\"");
            b.sendText("{\"type\":\"join\",\"room\":\"n\",\"role\":\"viewer\",\"token\":\""
                    + issuer.issue("n", "viewer", Duration.ofMinutes(1)) + "\"}");
            assertThat(b.readText()).contains("\"joined\"");
            a.sendText("{\"type\":\"event\",\"data\":{\"huge\":1e400,\"e\":1E2,\"tenth\":0.1,"
                    + "\"big\":123456789012345678901234567890,\"n\":-7}}");
            String relayed;
            do {
                relayed = b.readText();
            } while (relayed != null && !relayed.contains("\"event\""));
            assertThat(relayed).doesNotContain("Infinity");
            JsonNode data = EXACT.readTree(relayed).path("data");
            assertThat(data.path("huge").decimalValue()).isEqualByComparingTo(new BigDecimal("1e400"));
            assertThat(data.path("e").decimalValue()).isEqualByComparingTo(new BigDecimal("1E2"));
            assertThat(data.path("tenth").decimalValue()).isEqualByComparingTo(new BigDecimal("0.1"));
            assertThat(data.path("big").bigIntegerValue()).isEqualTo(new BigInteger("123456789012345678901234567890"));
            assertThat(data.path("n").asInt()).isEqualTo(-7);
        }
    }

    @Test
    void aGenuineTokenWhoseExpiryIsOutOfRangeGetsTokenInvalidNotInternal() throws Exception {
        try (WireClient peer = new WireClient("127.0.0.1", server.port())) {
            assertThat(peer.upgrade()).isEqualTo(101);
            String token = signed("{\"room\":\"r\",\"role\":\"viewer\",\"exp\":" + Long.MAX_VALUE + "}");
            peer.sendText("{\"type\":\"join\",\"room\":\"r\",\"role\":\"viewer\",\"token\":\"" + token + "\"}");
            JsonNode error = EXACT.readTree(peer.readText());
            assertThat(error.path("code").asText()).isEqualTo("token-invalid");
            assertThat(error.path("message").asText()).contains("exp");
            assertThat(server.figures().rejected(ErrorCode.INTERNAL)).isZero();
        }
    }

    /** A token as TokenIssuer would sign it, with any payload. */
    static String signed(String payload) throws Exception {
        String body = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return body + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(body.getBytes(StandardCharsets.US_ASCII)));
    }
}
