package dev.packetstream.signaling.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.packetstream.core.peer.IceCandidate;
import dev.packetstream.signaling.Joined;
import dev.packetstream.signaling.PeerInfo;
import dev.packetstream.signaling.SignalingClient;
import dev.packetstream.signaling.SignalingError;
import dev.packetstream.signaling.SignalingListener;
import dev.packetstream.signaling.WireClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * The soak ({@code -Dload.mode=soak}, {@code exec:exec@soak}): a server with default limits
 * ({@code -Xmx512m}) serves well-behaved rooms while two attacks run beside them for
 * {@code soak.seconds} (60):
 *
 * <ol>
 *   <li>unfinished messages: from {@code soak.partialAddresses} (24) addresses, 64 connections each
 *       send one text frame without FIN (alternately 65,000 bytes, just under the message limit,
 *       and the 250 KiB of the original report), then a 100-byte continuation every 20 s to stay
 *       clear of the idle timeout; a connection the server drops is opened again;</li>
 *   <li>never-reading peers: from {@code soak.neverReaderAddresses} (4) addresses, 4 rooms each of
 *       one sender broadcasting 60 KB events at 20/s to 15 peers that never read (and ping every
 *       10 s); dropped ones join again.</li>
 * </ol>
 * The well-behaved rooms ({@code soak.rooms}, 100: 1 publisher + 9 viewers, 25 addresses) run a
 * round every {@code soak.roundMillis} (5000): an offer with a 3000-byte SDP and 4 candidates to each viewer, an answer and 4
 * candidates back. Passes when they lose nothing (every message delivered, none rejected) and the
 * server stays up; prints their figures, the attacks' and the server's (heap and buffered bytes
 * sampled every second from {@code /health}).
 */
final class SignalingSoak {
    private static final int VIEWERS = 9;
    private static final int CANDIDATES = 4;
    private static final int SDP_BYTES = 3000;

    private final int seconds = Integer.getInteger("soak.seconds", 60);
    private final int rooms = Integer.getInteger("soak.rooms", 100);
    private final int partialAddresses = Integer.getInteger("soak.partialAddresses", 24);
    private final int neverReaderAddresses = Integer.getInteger("soak.neverReaderAddresses", 4);
    private final int roundMillis = Integer.getInteger("soak.roundMillis", 5000);

    private final LongAdder sent = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final Map<String, LongAdder> rejected = new ConcurrentHashMap<>();
    private final SignalingLoadRun.LatencyRecorder latencies = new SignalingLoadRun.LatencyRecorder(4_000_000);
    private final LongAdder partialOpened = new LongAdder();
    private final LongAdder partialRefused = new LongAdder();
    private final LongAdder partialDropped = new LongAdder();
    private final LongAdder readerJoins = new LongAdder();
    private final LongAdder readerDropped = new LongAdder();
    private final LongAdder eventsSent = new LongAdder();
    private volatile boolean running = true;

    int run() throws Exception {
        ServerProcess server = ServerProcess.start("512m");
        ScheduledThreadPoolExecutor listeners = SignalingLoadRun.daemonScheduler("soak-listeners", 2);
        QueuedThreadPool jettyThreads = SignalingLoadRun.jettyThreads("soak-jetty");
        List<WebSocketClient> sockets = new ArrayList<>();
        List<SignalingClient> all = new ArrayList<>();
        ScheduledExecutorService pacer = SignalingLoadRun.daemonScheduler("soak-pacer", 2);
        List<Thread> attackers = new ArrayList<>();
        try {
            sockets.addAll(SignalingLoadRun.webSocketClients(jettyThreads, rooms * (VIEWERS + 1)));
            List<GoodRoom> good = new ArrayList<>();
            for (int r = 0; r < rooms; r++) {
                good.add(new GoodRoom("soak-" + r, sockets.get(r % SignalingLoadRun.ADDRESSES), server, listeners, all));
            }
            for (GoodRoom room : good) {
                room.join();
            }
            JsonNode before = server.health();
            System.out.printf("signaling soak: %d s, %d well-behaved rooms (1 publisher + %d viewers, %d-byte SDPs, a round"
                    + " every %d ms) beside two attacks; server -Xmx%s with default limits; load average %s%n", seconds, rooms,
                    VIEWERS, SDP_BYTES, roundMillis, server.heap, SignalingLoadRun.loadAverage());
            System.out.printf("  before the attacks: heap used %.1f MiB with %d peers%n",
                    before.path("heapUsedBytes").asLong() / 1048576.0, before.path("peers").asInt());

            attackers.add(start("soak-partial", () -> partialAttack(server.port)));
            attackers.add(start("soak-never-readers", () -> neverReaderAttack(server.port)));
            for (int r = 0; r < rooms; r++) {
                GoodRoom room = good.get(r);
                pacer.scheduleAtFixedRate(room::round, (long) roundMillis * r / rooms, roundMillis, TimeUnit.MILLISECONDS);
            }
            long heapPeak = 0;
            long bufferedPeak = 0;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            boolean alive = true;
            while (System.nanoTime() < end) {
                TimeUnit.SECONDS.sleep(1);
                try {
                    JsonNode h = server.health();
                    heapPeak = Math.max(heapPeak, h.path("heapUsedBytes").asLong());
                    bufferedPeak = Math.max(bufferedPeak, h.path("bufferedBytes").asLong());
                } catch (Exception e) {
                    System.out.println("  /health did not answer: " + e);
                    alive = server.process.isAlive();
                }
            }
            pacer.shutdownNow();
            pacer.awaitTermination(5, TimeUnit.SECONDS);
            running = false;
            for (Thread t : attackers) {
                t.join(10_000);
            }
            long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (delivered.sum() + rejectedTotal() < sent.sum() && System.nanoTime() < settle) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
            JsonNode after = server.health();
            long lost = sent.sum() - delivered.sum() - rejectedTotal();
            System.out.printf("  well-behaved rooms: sent %d, delivered %d, rejected %d %s, lost %d%n", sent.sum(),
                    delivered.sum(), rejectedTotal(), summary(), lost);
            System.out.printf("    relay latency (send -> receiver's listener): p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    latencies.percentile(50) / 1e6, latencies.percentile(99) / 1e6, latencies.percentile(100) / 1e6);
            System.out.printf("  attack 1, unfinished messages (%d addresses x 64 connections): %d connections opened and"
                    + " fed a frame without FIN, %d upgrades refused, %d found dropped and reopened%n",
                    partialAddresses, partialOpened.sum(), partialRefused.sum(), partialDropped.sum());
            System.out.printf("  attack 2, never-reading peers (%d addresses x 4 rooms x (1 sender + 15 never-readers)):"
                    + " %d events of 60 KB broadcast, %d never-reader joins, %d found dropped and rejoined%n",
                    neverReaderAddresses, eventsSent.sum(), readerJoins.sum(), readerDropped.sum());
            StringBuilder reasons = new StringBuilder("{");
            after.path("rejected").fields().forEachRemaining(e -> {
                if (e.getValue().asLong() != 0) {
                    reasons.append(reasons.length() > 1 ? ", " : "").append(e.getKey()).append('=').append(e.getValue());
                }
            });
            long[] cpu = server.cpuMillis();
            System.out.printf("  server: rejected %s%n", reasons.append('}'));
            System.out.printf("  server: heap used peak sampled %.1f MiB (-Xmx%s), buffered bytes peak %.1f MiB;"
                    + " after: heap %.1f MiB, %d connections; RSS %.1f MiB; CPU %.1f s user + %.1f s system%n",
                    heapPeak / 1048576.0, server.heap, bufferedPeak / 1048576.0,
                    after.path("heapUsedBytes").asLong() / 1048576.0, after.path("connections").asInt(),
                    server.rssKiB() / 1024.0, cpu[0] / 1000.0, cpu[1] / 1000.0);
            boolean ok = alive && lost == 0 && rejectedTotal() == 0 && sent.sum() > 0;
            System.out.println(ok ? "  the well-behaved rooms lost nothing" : "  FAILED: see above");
            return ok ? 0 : 1;
        } finally {
            running = false;
            pacer.shutdownNow();
            SignalingLoadRun.closeClients(all, sockets, jettyThreads, listeners);
            server.stop();
        }
    }

    private static Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void partialAttack(int port) {
        List<WireClient> slots = new ArrayList<>();
        List<Long> lastSend = new ArrayList<>();
        for (int i = 0; i < partialAddresses * 64; i++) {
            slots.add(null);
            lastSend.add(0L);
        }
        byte[] near = filler(65_000);
        byte[] reported = filler(250 * 1024);
        byte[] keepAlive = filler(100);
        try {
            while (running) {
                for (int i = 0; i < slots.size() && running; i++) {
                    WireClient c = slots.get(i);
                    try {
                        if (c == null) {
                            c = new WireClient("127.0.2." + (1 + i % partialAddresses), port);
                            slots.set(i, c);
                            if (c.upgrade() != 101) {
                                partialRefused.increment();
                                c.close();
                                slots.set(i, null);
                                continue;
                            }
                            c.sendFrame(WireClient.TEXT, false, i % 2 == 0 ? near : reported);
                            partialOpened.increment();
                            lastSend.set(i, System.nanoTime());
                        } else if (System.nanoTime() - lastSend.get(i) > TimeUnit.SECONDS.toNanos(20)) {
                            c.sendFrame(0, false, keepAlive); // a continuation: the message grows, still unfinished
                            lastSend.set(i, System.nanoTime());
                        }
                    } catch (IOException e) {
                        partialDropped.increment();
                        closeQuietly(c);
                        slots.set(i, null);
                    }
                }
                TimeUnit.MILLISECONDS.sleep(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            slots.forEach(SignalingSoak::closeQuietly);
        }
    }

    private void neverReaderAttack(int port) {
        int roomsPerAddress = 4;
        int count = neverReaderAddresses * roomsPerAddress;
        WireClient[] senders = new WireClient[count];
        WireClient[][] readers = new WireClient[count][15];
        String event = "{\"type\":\"event\",\"data\":{\"blob\":\"" + "x".repeat(60_000) + "\"}}";
        long lastPing = 0;
        try {
            while (running) {
                boolean ping = System.nanoTime() - lastPing > TimeUnit.SECONDS.toNanos(10);
                if (ping) {
                    lastPing = System.nanoTime();
                }
                for (int r = 0; r < count && running; r++) {
                    String address = "127.0.3." + (1 + r / roomsPerAddress);
                    String room = "never-" + r;
                    try {
                        if (senders[r] == null) {
                            senders[r] = joined(address, port, room, "publisher", 0);
                        }
                        senders[r].sendText(event);
                        eventsSent.increment();
                    } catch (IOException e) {
                        closeQuietly(senders[r]);
                        senders[r] = null;
                    }
                    for (int p = 0; p < 15; p++) {
                        try {
                            if (readers[r][p] == null) {
                                readers[r][p] = joined(address, port, room, "viewer", 4096);
                                readerJoins.increment();
                            } else if (ping) {
                                readers[r][p].sendText("{\"type\":\"ping\"}");
                            }
                        } catch (IOException e) {
                            readerDropped.increment();
                            closeQuietly(readers[r][p]);
                            readers[r][p] = null;
                        }
                    }
                }
                TimeUnit.MILLISECONDS.sleep(50); // about 20 events per second per sender
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (int r = 0; r < count; r++) {
                closeQuietly(senders[r]);
                for (WireClient c : readers[r]) {
                    closeQuietly(c);
                }
            }
        }
    }

    private static WireClient joined(String address, int port, String room, String role, int receiveBuffer)
            throws IOException {
        WireClient c = new WireClient(address, port, receiveBuffer);
        try {
            if (c.upgrade() != 101) {
                throw new IOException("upgrade refused");
            }
            c.sendText("{\"type\":\"join\",\"room\":\"" + room + "\",\"role\":\"" + role + "\"}");
            return c;
        } catch (IOException e) {
            c.close();
            throw e;
        }
    }

    private static void closeQuietly(WireClient c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing a socket the server already dropped
            }
        }
    }

    private static byte[] filler(int bytes) {
        byte[] b = new byte[bytes];
        java.util.Arrays.fill(b, (byte) 'a');
        return b;
    }

    private long rejectedTotal() {
        return rejected.values().stream().mapToLong(LongAdder::sum).sum();
    }

    private String summary() {
        StringBuilder b = new StringBuilder("{");
        rejected.forEach((code, n) -> b.append(b.length() > 1 ? ", " : "").append(code).append('=').append(n.sum()));
        return b.append('}').toString();
    }

    private void send(CompletableFuture<Void> sending) {
        sent.increment();
        sending.exceptionally(failure -> {
            rejected.computeIfAbsent("client-send-failed", k -> new LongAdder()).increment();
            return null;
        });
    }

    private void received(String stamped) {
        int space = stamped.indexOf(' ');
        latencies.record(System.nanoTime() - Long.parseLong(space < 0 ? stamped : stamped.substring(0, space)));
        delivered.increment();
    }

    private void error(SignalingError error) {
        rejected.computeIfAbsent(error.code(), k -> new LongAdder()).increment();
    }

    /** One well-behaved room: a publisher offering to 9 viewers every round, and their answers. */
    private final class GoodRoom {
        final List<String> viewerIds = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<SignalingClient> viewers = new ArrayList<>();
        final SignalingClient publisher;

        GoodRoom(String name, WebSocketClient webSocket, ServerProcess server, ScheduledThreadPoolExecutor listeners,
                 List<SignalingClient> all) {
            for (int v = 0; v < VIEWERS; v++) {
                Viewer listener = new Viewer();
                SignalingClient viewer = SignalingClient.builder(server.uri).room(name).role("viewer").listener(listener)
                        .webSocketClient(webSocket).executor(listeners).pingInterval(Duration.ofSeconds(20)).build();
                listener.self = viewer;
                viewers.add(viewer);
                all.add(viewer);
            }
            publisher = SignalingClient.builder(server.uri).room(name).role("publisher").listener(new Publisher())
                    .webSocketClient(webSocket).executor(listeners).pingInterval(Duration.ofSeconds(20)).build();
            all.add(publisher);
        }

        void join() throws Exception {
            List<CompletableFuture<Joined>> joins = new ArrayList<>();
            for (SignalingClient viewer : viewers) {
                joins.add(viewer.connect().thenApply(j -> {
                    viewerIds.add(j.selfId());
                    return j;
                }));
            }
            CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            publisher.connect().get(60, TimeUnit.SECONDS);
        }

        void round() {
            for (String viewer : List.copyOf(viewerIds)) {
                send(publisher.sendOffer(viewer, SignalingLoadRun.sdp(Long.toString(System.nanoTime()), SDP_BYTES)));
                for (int c = 0; c < CANDIDATES; c++) {
                    send(publisher.sendCandidate(viewer, new IceCandidate("0", 0, Long.toString(System.nanoTime()))));
                }
            }
        }

        final class Publisher implements SignalingListener {
            @Override
            public void onAnswer(PeerInfo from, String sdp) {
                received(sdp);
            }

            @Override
            public void onCandidate(PeerInfo from, IceCandidate candidate) {
                received(candidate.candidate());
            }

            @Override
            public void onError(SignalingError e) {
                error(e);
            }
        }

        final class Viewer implements SignalingListener {
            volatile SignalingClient self;

            @Override
            public void onOffer(PeerInfo from, String sdp) {
                received(sdp);
                send(self.sendAnswer(from.id(), SignalingLoadRun.sdp(Long.toString(System.nanoTime()), SDP_BYTES)));
                for (int c = 0; c < CANDIDATES; c++) {
                    send(self.sendCandidate(from.id(), new IceCandidate("0", 0, Long.toString(System.nanoTime()))));
                }
            }

            @Override
            public void onCandidate(PeerInfo from, IceCandidate candidate) {
                received(candidate.candidate());
            }

            @Override
            public void onError(SignalingError e) {
                error(e);
            }
        }
    }
}
