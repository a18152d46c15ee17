package dev.packetstream.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The memory attacks, each against a server in a child JVM with a small heap (so that, unbounded,
 * they kill it within seconds), bounded in connections and time.
 */
class SignalingServerMemoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void unfinishedMessagesOnManyConnectionsNeitherExhaustTheHeapNorStopTheServer() throws Exception {
        try (ChildServer server = ChildServer.start(List.of("-Xmx48m"))) {
            List<WireClient> attackers = new ArrayList<>();
            AtomicInteger refused = new AtomicInteger();
            ExecutorService attack = Executors.newSingleThreadExecutor();
            Future<?> done = attack.submit(() -> {
                // 10 addresses x 40 connections; half send the reported 250 KiB unfinished message,
                // half stay just under the message limit (65,000 bytes), which the server must hold:
                // 200 of those are more than its budget (a quarter of 48 MiB).
                for (int i = 0; i < 400; i++) {
                    try {
                        WireClient c = new WireClient("127.0.0." + (10 + i % 10), server.port());
                        attackers.add(c);
                        if (c.upgrade() != 101) {
                            refused.incrementAndGet();
                            continue;
                        }
                        c.sendFrame(WireClient.TEXT, false, filler(i % 2 == 0 ? 250 * 1024 : 65_000));
                    } catch (IOException e) {
                        refused.incrementAndGet(); // closed by the server (1013: its budget is used up)
                    }
                }
                return null;
            });
            try {
                done.get(60, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                // an unbounded server stops reading when its heap is gone: the writes block
            } finally {
                attack.shutdownNow();
            }
            try {
                assertThat(server.isAlive()).as("server process alive").isTrue();
                JsonNode health = server.health();
                assertThat(health.path("bufferedBytes").asLong()).as("held in unfinished messages")
                        .isLessThanOrEqualTo((48L << 20) / 4);
                assertThat(health.path("rejected").path("server-busy").asLong()).as("connections closed for the budget: %s", health)
                        .isPositive();
                assertAPairStillRelays(server);
            } finally {
                for (WireClient c : attackers) {
                    c.close();
                }
            }
        }
    }

    @Test
    void peersThatNeverReadCannotExhaustTheHeapAndRelaysToThemAreDropped() throws Exception {
        try (ChildServer server = ChildServer.start(List.of("-Xmx64m"))) {
            List<WireClient> neverReaders = new ArrayList<>();
            ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
            try (WireClient sender = new WireClient("127.0.0.20", server.port())) {
                assertThat(sender.upgrade()).isEqualTo(101);
                sender.sendText("{\"type\":\"join\",\"room\":\"flood\",\"role\":\"publisher\"}");
                assertThat(sender.readText()).contains("\"joined\"");
                for (int i = 0; i < 15; i++) {
                    WireClient peer = new WireClient("127.0.0.21", server.port(), 4096);
                    neverReaders.add(peer);
                    assertThat(peer.upgrade()).isEqualTo(101);
                    peer.sendText("{\"type\":\"join\",\"room\":\"flood\",\"role\":\"viewer\"}");
                }
                String event = "{\"type\":\"event\",\"data\":{\"blob\":\"" + "x".repeat(60_000) + "\"}}";
                AtomicInteger sent = new AtomicInteger();
                // 40 per second (under the rate limit of 50) for 5 s: 60 KB x 15 peers x 200 = 180 MB offered
                Future<?> sending = pacer.scheduleAtFixedRate(() -> {
                    try {
                        if (sent.incrementAndGet() <= 200) {
                            sender.sendText(event);
                        }
                    } catch (IOException e) {
                        throw new IllegalStateException("the sender's connection failed", e);
                    }
                }, 0, 25, TimeUnit.MILLISECONDS);
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sent.get() > 200 || sending.isDone());
                assertThat(server.isAlive()).as("server process alive").isTrue();
                JsonNode health = server.health();
                // dropped for the peers' full queues (slow-consumer) or the server's full budget (server-busy)
                assertThat(health.path("rejected").path("slow-consumer").asLong()
                        + health.path("rejected").path("server-busy").asLong()).as("relays dropped: %s", health).isPositive();
                assertThat(health.path("bufferedBytes").asLong()).isLessThanOrEqualTo((64L << 20) / 4);
                assertThat(sending.isDone()).as("the sender was never cut off").isFalse();
                assertAPairStillRelays(server);
            } finally {
                pacer.shutdownNow();
                for (WireClient c : neverReaders) {
                    c.close();
                }
            }
        }
    }

    @Test
    void anOutOfMemoryErrorInTheServerEndsItsProcessInsteadOfLeavingItHalfAlive() throws Exception {
        // Limits raised far beyond the heap, so that the attack does run the server out of memory.
        try (ChildServer server = ChildServer.start(List.of("-Xmx48m"), "--max-message-bytes", "33554432",
                "--max-pending-bytes-per-peer", "40000000", "--max-buffered-bytes", "1000000000000")) {
            ExecutorService attack = Executors.newFixedThreadPool(4);
            List<WireClient> attackers = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    WireClient c = new WireClient("127.0.0.30", server.port());
                    attackers.add(c);
                    assertThat(c.upgrade()).isEqualTo(101);
                    attack.submit(() -> {
                        c.sendFrame(WireClient.TEXT, false, filler(30 << 20));
                        return null;
                    });
                }
                Integer status = server.exitWithin(Duration.ofSeconds(30));
                assertThat(status).as("exit status of the server after OutOfMemoryError; output: %s", server.output())
                        .isEqualTo(3);
                assertThat(String.join("\n", server.output())).contains("OutOfMemoryError");
            } finally {
                attack.shutdownNow();
                for (WireClient c : attackers) {
                    c.close();
                }
            }
        }
    }

    @Test
    void theStandaloneServerWarnsWhenItsJvmWouldSurviveAnOutOfMemoryErrorElsewhere() throws Exception {
        try (ChildServer without = ChildServer.start(List.of("-Xmx64m"));
             ChildServer with = ChildServer.start(List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError"))) {
            assertThat(String.join("\n", without.output())).contains("-XX:+ExitOnOutOfMemoryError");
            assertThat(String.join("\n", with.output())).doesNotContain("warning");
        }
    }

    private static void assertAPairStillRelays(ChildServer server) throws Exception {
        try (WireClient a = new WireClient("127.0.0.99", server.port());
             WireClient b = new WireClient("127.0.0.99", server.port())) {
            assertThat(a.upgrade()).isEqualTo(101);
            assertThat(b.upgrade()).isEqualTo(101);
            a.sendText("{\"type\":\"join\",\"room\":\"control\",\"role\":\"publisher\"}");
            assertThat(a.readText()).contains("\"joined\"");
            b.sendText("{\"type\":\"join\",\"room\":\"control\",\"role\":\"viewer\"}");
            String bId = JSON.readTree(b.readText()).path("id").asText();
            assertThat(JSON.readTree(a.readText()).path("type").asText()).isEqualTo("peer-joined");
            a.sendText("{\"type\":\"offer\",\"to\":\"" + bId + "\",\"sdp\":\"v=0 still served\"}");
            assertThat(JSON.readTree(b.readText()).path("sdp").asText()).isEqualTo("v=0 still served");
        }
    }

    private static byte[] filler(int bytes) {
        byte[] payload = new byte[bytes];
        java.util.Arrays.fill(payload, (byte) 'a');
        return payload;
    }
}
