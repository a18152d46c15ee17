package dev.packetstream.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TokenIssuerTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef-test-secret";
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T22:00:00Z"), ZoneOffset.UTC);
    private final TokenIssuer issuer = new TokenIssuer(SECRET.getBytes(StandardCharsets.UTF_8), clock);

    @Test
    void anIssuedTokenVerifiesWithItsRoomRoleAndExpiry() throws Exception {
        String token = issuer.issue("room-1", "viewer", Duration.ofMinutes(5));
        RoomGrant grant = issuer.verify(token, "room-1", "viewer");
        assertThat(grant).isEqualTo(new RoomGrant("room-1", "viewer", Instant.parse("2026-11-23T22:05:00Z")));
    }

    @Test
    void anExpiredTokenIsRefusedAsExpired() {
        String token = issuer.issue("room-1", "viewer", Duration.ofMinutes(5));
        TokenIssuer later = new TokenIssuer(SECRET.getBytes(StandardCharsets.UTF_8),
                Clock.offset(clock, Duration.ofMinutes(5)));
        assertThatThrownBy(() -> later.verify(token)).isInstanceOfSatisfying(ProtocolException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_EXPIRED));
    }

    @Test
    void aTokenWithAnAlteredPayloadOrSignedWithAnotherSecretIsRefusedAsInvalid() {
        String token = issuer.issue("room-1", "viewer", Duration.ofMinutes(5));
        String forgedPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"room\":\"room-1\",\"role\":\"publisher\",\"exp\":9999999999}".getBytes(StandardCharsets.UTF_8));
        String forged = forgedPayload + token.substring(token.indexOf('.'));
        TokenIssuer other = new TokenIssuer("another-secret-another-secret-another".getBytes(StandardCharsets.UTF_8), clock);
        for (String bad : new String[] {forged, other.issue("room-1", "viewer", Duration.ofMinutes(5)),
                "garbage", "a.b.c", token + "x", ".", ""}) {
            assertThatThrownBy(() -> issuer.verify(bad)).as(bad).isInstanceOfSatisfying(ProtocolException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_INVALID));
        }
    }

    @Test
    void aGenuineTokenForAnotherRoomOrRoleIsRefusedAsMismatch() {
        String token = issuer.issue("room-1", "viewer", Duration.ofMinutes(5));
        assertThatThrownBy(() -> issuer.verify(token, "room-2", "viewer")).isInstanceOfSatisfying(
                ProtocolException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_MISMATCH);
                    assertThat(e.getMessage()).contains("room-1", "room-2");
                });
        assertThatThrownBy(() -> issuer.verify(token, "room-1", "publisher")).isInstanceOfSatisfying(
                ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_MISMATCH));
    }

    @Test
    void aShortSecretIsRefusedWithAdviceOnMakingOne() {
        assertThatThrownBy(() -> TokenIssuer.withSecret("short"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 32");
    }
}
