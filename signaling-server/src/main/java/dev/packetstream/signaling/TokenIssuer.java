package dev.packetstream.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and verifies join tokens: HMAC-SHA256 signed, naming a room, a role and an expiry.
 *
 * <p>A token is {@code base64url(payload) + "." + base64url(HMAC-SHA256(secret, base64url(payload)))}
 * where the payload is the JSON object {@code {"room":"...","role":"...","exp":<epoch seconds>}}.
 * Whoever holds the secret can issue tokens: typically the application's own backend issues them
 * and hands them to its browser pages (as {@code ?token=} in the page URL) and Java peers.
 *
 * <h2>Threads</h2>
 * Immutable after construction and safe to share between threads; each call uses its own
 * {@link Mac} instance.
 */
public final class TokenIssuer {
    /** The shortest secret accepted, in bytes (256 bits, the HMAC-SHA256 block output). */
    public static final int MIN_SECRET_BYTES = 32;

    private static final String ALGORITHM = "HmacSHA256";

    private final byte[] secret;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param secret at least {@value #MIN_SECRET_BYTES} bytes; copied
     * @param clock  the clock that decides expiry
     * @throws IllegalArgumentException if the secret is too short
     */
    public TokenIssuer(byte[] secret, Clock clock) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("token secret has " + secret.length + " bytes: give at least "
                    + MIN_SECRET_BYTES + " random bytes (e.g. 64 hex characters from `openssl rand -hex 32`)");
        }
        this.secret = secret.clone();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A token issuer with the system clock and the UTF-8 bytes of {@code secret}. */
    public static TokenIssuer withSecret(String secret) {
        return new TokenIssuer(secret.getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
    }

    /** A token allowing {@code role} in {@code room} for {@code ttl} from now. */
    public String issue(String room, String role, Duration ttl) {
        return issue(new RoomGrant(room, role, clock.instant().plus(ttl)));
    }

    /** A token for exactly this grant (its expiry is rounded down to the second). */
    public String issue(RoomGrant grant) {
        ObjectNode payload = json.createObjectNode()
                .put("room", grant.room())
                .put("role", grant.role())
                .put("exp", grant.expiresAt().getEpochSecond());
        String body = base64(payload.toString().getBytes(StandardCharsets.UTF_8));
        return body + "." + base64(sign(body));
    }

    /**
     * Verifies a token's signature and expiry.
     *
     * @return the grant the token carries
     * @throws ProtocolException {@link ErrorCode#TOKEN_INVALID} when malformed or not signed with
     *                           this secret, {@link ErrorCode#TOKEN_EXPIRED} when expired
     */
    public RoomGrant verify(String token) {
        int dot = token == null ? -1 : token.indexOf('.');
        if (dot <= 0 || dot == token.length() - 1 || token.indexOf('.', dot + 1) >= 0) {
            throw new ProtocolException(ErrorCode.TOKEN_INVALID,
                    "token is malformed: expected <payload>.<signature>, as TokenIssuer.issue produces");
        }
        String body = token.substring(0, dot);
        byte[] signature;
        byte[] payloadBytes;
        try {
            signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
            payloadBytes = Base64.getUrlDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(ErrorCode.TOKEN_INVALID, "token is not base64url: " + e.getMessage());
        }
        if (!MessageDigest.isEqual(signature, sign(body))) {
            throw new ProtocolException(ErrorCode.TOKEN_INVALID,
                    "token signature does not verify: it was forged, altered, or issued with another secret");
        }
        JsonNode payload;
        try {
            payload = json.readTree(payloadBytes);
        } catch (java.io.IOException e) {
            throw new ProtocolException(ErrorCode.TOKEN_INVALID, "token payload is not JSON");
        }
        if (payload == null || !payload.path("room").isTextual() || !payload.path("role").isTextual()
                || !payload.path("exp").canConvertToLong()) {
            throw new ProtocolException(ErrorCode.TOKEN_INVALID,
                    "token payload must hold room (string), role (string) and exp (epoch seconds)");
        }
        long exp = payload.get("exp").asLong();
        if (!payload.get("exp").isIntegralNumber() || exp < Instant.MIN.getEpochSecond() || exp > Instant.MAX.getEpochSecond()) {
            throw new ProtocolException(ErrorCode.TOKEN_INVALID, "token exp " + payload.get("exp")
                    + " is not a time: it must be whole epoch seconds, as TokenIssuer.issue writes");
        }
        Instant expiresAt = Instant.ofEpochSecond(exp);
        if (!clock.instant().isBefore(expiresAt)) {
            throw new ProtocolException(ErrorCode.TOKEN_EXPIRED,
                    "token expired at " + expiresAt + ": ask the application for a new one");
        }
        return new RoomGrant(payload.get("room").asText(), payload.get("role").asText(), expiresAt);
    }

    /**
     * Verifies a token and that it names this room and role.
     *
     * @throws ProtocolException as {@link #verify(String)}, or {@link ErrorCode#TOKEN_MISMATCH}
     */
    public RoomGrant verify(String token, String room, String role) {
        RoomGrant grant = verify(token);
        if (!grant.room().equals(room) || !grant.role().equals(role)) {
            throw new ProtocolException(ErrorCode.TOKEN_MISMATCH, "token allows role \"" + grant.role()
                    + "\" in room \"" + grant.room() + "\", not role \"" + role + "\" in room \"" + room + "\"");
        }
        return grant;
    }

    private byte[] sign(String body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
