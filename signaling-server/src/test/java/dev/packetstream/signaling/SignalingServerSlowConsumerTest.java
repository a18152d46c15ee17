package dev.packetstream.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.Test;

/**
 * A peer that stops reading fills its bounded outbox: further relays to it are dropped and counted
 * as slow-consumer, the sender and the others are unaffected, and every message is accounted for.
 */
class SignalingServerSlowConsumerTest {

    /** Reads only what it demands: one message, then nothing until {@link #resume()}. */
    public static final class StalledPeer implements Session.Listener {
        private static final ObjectMapper JSON = new ObjectMapper();
        final CompletableFuture<Session> opened = new CompletableFuture<>();
        final AtomicInteger events = new AtomicInteger();
        volatile String id;
        private volatile Session session;
        private volatile boolean reading;

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
            opened.complete(session);
        }

        @Override
        public void onWebSocketText(String message) {
            try {
                JsonNode parsed = JSON.readTree(message);
                switch (parsed.path("type").asText()) {
                    case "joined" -> id = parsed.get("id").asText();
                    case "event" -> events.incrementAndGet();
                    default -> { }
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            if (reading) {
                session.demand();
            }
        }

        /** Reads one message (the joined), then stalls. */
        void demandOne() {
            session.demand();
        }

        /** Reads everything from now on. */
        void resume() {
            reading = true;
            session.demand();
        }
    }

    @Test
    void aPeerThatStopsReadingLosesRelaysAsSlowConsumerWhileTheRoomGoesOn() throws Exception {
        try (SignalingServer server = SignalingServer.builder()
                .limits(SignalingLimits.defaults().withMaxPendingPerPeer(8).withMaxMessagesPerSecond(100_000))
                .build().start()) {
            URI ws = server.webSocketUri();
            WebSocketClient client = new WebSocketClient();
            client.start();
            try (RawPeer sender = RawPeer.joined(client, ws, "r", "detector")) {
                StalledPeer stalled = new StalledPeer();
                Session session = client.connect(stalled, ws).get(5, TimeUnit.SECONDS);
                session.sendText("{\"type\":\"join\",\"room\":\"r\",\"role\":\"viewer\"}", null);
                stalled.demandOne(); // read the joined message only
                await().atMost(Duration.ofSeconds(5)).until(() -> stalled.id != null);
                sender.expect("peer-joined");

                String data = "x".repeat(60 * 1024);
                int sent = 600; // 36 MB: more than loopback socket buffers hold
                for (int i = 0; i < sent; i++) {
                    sender.send("{\"type\":\"event\",\"to\":\"" + stalled.id + "\",\"data\":{\"i\":" + i + ",\"pad\":\"" + data + "\"}}");
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> server.figures().messagesReceived() >= sent + 2);
                long dropped = server.figures().rejected(ErrorCode.SLOW_CONSUMER);
                assertThat(dropped).as("relays dropped while the peer did not read; figures %s, events read %d", server.figures(), stalled.events.get()).isPositive();
                assertThat(sender.drainUntilPong()).as("the sender is served meanwhile, and gets no error").isEmpty();

                stalled.resume(); // read again: what was queued arrives
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThat(server.figures().messagesRelayed() + server.figures().rejected(ErrorCode.SLOW_CONSUMER))
                                .isEqualTo(sent));
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThat(stalled.events.get()).isEqualTo(sent - server.figures().rejected(ErrorCode.SLOW_CONSUMER)));
                session.close();
            } finally {
                client.stop();
            }
        }
    }
}
