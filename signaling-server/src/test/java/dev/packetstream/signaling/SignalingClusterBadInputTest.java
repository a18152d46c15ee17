package dev.packetstream.signaling;

import dev.packetstream.signaling.testing.LocalRedis;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The bad-input cases again, with senders on one server and the peers they address on another,
 * both sharing rooms through one real Redis: each still gets its error code, reaches no one, and
 * leaves both servers serving the others.
 */
class SignalingClusterBadInputTest extends SignalingServerBadInputTest {
    private static LocalRedis redis;

    @BeforeAll
    static void redis() {
        redis = LocalRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    @Override
    void start() throws Exception {
        redis.command("FLUSHALL"); // no rooms left from the last test
        super.start();
    }

    @Override
    SignalingServer startServer(SignalingServer.Builder builder) {
        return builder.redis(redis.uri()).redisPresence(Duration.ofSeconds(2)).build().start();
    }

    @Override
    SignalingServer startSecond(SignalingServer.Builder builder, SignalingServer first) {
        return startServer(builder);
    }

    @Override
    SignalingFigures figures() {
        SignalingFigures a = server.figures();
        SignalingFigures b = serverB.figures();
        Map<ErrorCode, Long> rejected = new EnumMap<>(ErrorCode.class);
        for (ErrorCode code : ErrorCode.values()) {
            rejected.put(code, a.rejected(code) + b.rejected(code));
        }
        return new SignalingFigures(a.rooms() + b.rooms(), a.peers() + b.peers(), a.connections() + b.connections(),
                a.messagesReceived() + b.messagesReceived(), a.messagesRelayed() + b.messagesRelayed(), rejected,
                a.heapUsedBytes(), a.bufferedBytes() + b.bufferedBytes(), a.redis());
    }
}
