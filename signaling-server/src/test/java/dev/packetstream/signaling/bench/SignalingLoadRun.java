package dev.packetstream.signaling.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.packetstream.core.peer.IceCandidate;
import dev.packetstream.signaling.Joined;
import dev.packetstream.signaling.PeerInfo;
import dev.packetstream.signaling.SignalingClient;
import dev.packetstream.signaling.SignalingError;
import dev.packetstream.signaling.SignalingListener;
import dev.packetstream.signaling.SignalingServerMain;
import dev.packetstream.signaling.testing.LocalRedis;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * The load run: a signaling server in its own JVM (the standalone main, so that its heap and CPU
 * are its own), and in this JVM 1000 {@link SignalingClient}s in 100 rooms (1 publisher + 9 viewers
 * each). Each room runs rounds in a closed loop: the publisher sends an offer and
 * {@value #CANDIDATES} candidates to each viewer, plus one offer to a peer id of another room
 * (which must be rejected); each viewer answers with an answer and {@value #CANDIDATES}
 * candidates; when the publisher has them all, the next round starts.
 *
 * <p>Every message sent is accounted for: delivered to its addressee, or rejected with a reason
 * that came back as an error; the server's own figures ({@code /health}) must agree. Prints
 * p50/p99 relay latency (send to listener call, client JVM's clock), messages/s, and the server's
 * heap, RSS and CPU time. Exits 1 when any message is unaccounted for.
 *
 * <p>Run (from the repository root; not part of {@code verify}):
 * {@code ./mvnw -B -q -pl signaling-server test-compile exec:exec@load}. Two phases: saturated
 * (closed loop, {@code load.rounds} rounds per room: the most the machine holds) and paced
 * ({@code load.pacedRate} messages/s for {@code load.pacedSeconds}: latency below saturation).
 * System properties: {@code load.clients} (1000), {@code load.rooms} (100), {@code load.rounds}
 * (40), {@code load.pacedRate} (5000), {@code load.pacedSeconds} (15).
 */
public final class SignalingLoadRun {
    static final int CANDIDATES = 4;

    /** Clients connect from this many loopback addresses (127.0.1.1 ...), rooms spread over them. */
    static final int ADDRESSES = 25;

    private final int clients = Integer.getInteger("load.clients", 1000);
    /** "raised": the rate limit effectively off (the first figures); "default": every limit at its default. */
    private final String limits = System.getProperty("load.limits", "raised");
    /** Size of the offers' and answers' SDP; 0 for a time stamp only (about 15 bytes). */
    private final int sdpBytes = Integer.getInteger("load.sdpBytes", 0);
    private final boolean saturated = Boolean.parseBoolean(System.getProperty("load.saturated", "true"));
    private final int rooms = Integer.getInteger("load.rooms", 100);
    private final int rounds = Integer.getInteger("load.rounds", 40);
    private final int viewersPerRoom = clients / rooms - 1;

    private final LongAdder sent = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final Map<String, LongAdder> rejected = new ConcurrentHashMap<>();
    private final int pacedRate = Integer.getInteger("load.pacedRate", 5000);
    private final int pacedSeconds = Integer.getInteger("load.pacedSeconds", 15);
    private volatile LatencyRecorder latencies = new LatencyRecorder(2_000_000);
    private volatile boolean paced;
    private final CountDownLatch roomsDone = new CountDownLatch(rooms);
    /** The lines of the summary table printed at the end. */
    private final List<String> summary;
    /** Messages addressed to a peer connected to another server than the sender's. */
    private final LongAdder crossSent = new LongAdder();
    private String setup;

    private SignalingLoadRun(List<String> summary) {
        this.summary = summary;
    }

    /**
     * Runs the load on one server, then on two servers sharing rooms through one Redis (started
     * here, {@code redis-server} on a free loopback port), and prints both side by side.
     * {@code -Dload.servers=1} runs the single server only.
     */
    public static void main(String[] args) throws Exception {
        if ("soak".equals(System.getProperty("load.mode"))) {
            System.exit(new SignalingSoak().run());
        }
        String[] options = "default".equals(System.getProperty("load.limits", "raised")) ? new String[0]
                : new String[] {"--max-messages-per-second", "100000", "--max-peers-per-room", "16",
                    "--max-rooms", "1000", "--idle-timeout-seconds", "600"};
        List<String> summary = new ArrayList<>();
        Servers single = Servers.start(1, null, "512m", options);
        int exit;
        try {
            exit = new SignalingLoadRun(summary).run(single, "1 server");
        } finally {
            single.stop();
        }
        if (Integer.getInteger("load.servers", 2) > 1) {
            try (LocalRedis redis = LocalRedis.start()) {
                Servers two = Servers.start(2, redis.uri(), "512m", options);
                try {
                    exit |= new SignalingLoadRun(summary).run(two, "2 servers, 1 Redis");
                } finally {
                    two.stop();
                }
            }
        }
        System.out.println();
        System.out.println("| setup | phase | relayed messages/s | p50 | p99 | max | across servers | unaccounted |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        summary.forEach(System.out::println);
        System.exit(exit);
    }

    private int run(Servers server, String setup) throws Exception {
        if (viewersPerRoom < 1) {
            throw new IllegalArgumentException("need at least 2 clients per room");
        }
        this.setup = setup;
        ScheduledThreadPoolExecutor listeners = daemonScheduler("load-listeners", 2);
        QueuedThreadPool jettyThreads = jettyThreads("load-jetty");
        List<WebSocketClient> sockets = new ArrayList<>();
        List<Room> roomList = new ArrayList<>();
        List<SignalingClient> all = new ArrayList<>();
        long connectStart = System.nanoTime();
        try {
            sockets.addAll(webSocketClients(jettyThreads, clients));
            for (int r = 0; r < rooms; r++) {
                roomList.add(new Room("load-" + r));
            }
            // Connect in batches of 100 so that the accept queue is not the thing measured.
            List<CompletableFuture<Joined>> batch = new ArrayList<>();
            int index = 0;
            for (Room room : roomList) {
                WebSocketClient webSocket = sockets.get(roomList.indexOf(room) % ADDRESSES);
                for (int v = 0; v < viewersPerRoom; v++) {
                    Room.Viewer listener = room.new Viewer();
                    int node = index++ % server.size(); // a load balancer's round robin
                    listener.node = node;
                    SignalingClient viewer = client(server.uri(node), webSocket, listeners, room.name, "viewer", listener);
                    listener.self = viewer;
                    all.add(viewer);
                    batch.add(viewer.connect().thenApply(j -> {
                        room.viewerNodes.put(j.selfId(), node);
                        room.viewerIds.add(j.selfId());
                        return j;
                    }));
                    if (batch.size() == 100) {
                        CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                        batch.clear();
                    }
                }
            }
            CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            batch.clear();
            for (Room room : roomList) {
                room.publisherNode = index++ % server.size();
                room.publisher = client(server.uri(room.publisherNode), sockets.get(roomList.indexOf(room) % ADDRESSES),
                        listeners, room.name, "publisher", room.new Publisher());
                all.add(room.publisher);
                batch.add(room.publisher.connect());
            }
            CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
            for (int r = 0; r < rooms; r++) { // the bogus target: a viewer of the next room
                roomList.get(r).foreignId = roomList.get((r + 1) % rooms).viewerIds.get(0);
            }
            JsonNode before = server.health();
            long heapPeak = before.path("heapUsedBytes").asLong();

            System.out.printf("signaling load run, %s: %d clients in %d rooms (1 publisher + %d viewers), %d candidates per"
                    + " offer/answer%n", setup, clients, rooms, viewersPerRoom, CANDIDATES);
            System.out.printf("  server limits: %s; SDP of offers and answers: %s; clients from %d loopback addresses%n",
                    limits.equals("default") ? "all defaults (50 messages/s per connection, ...)"
                            : "raised (--max-messages-per-second 100000 --idle-timeout-seconds 600)",
                    sdpBytes > 0 ? sdpBytes + " bytes" : "a time stamp (about 15 bytes)", ADDRESSES);
            System.out.printf("  machine: %d cores, load average before the run %s, client and server JVMs on the same machine"
                    + " (loopback); connect + join of all clients: %.2f s%n", Runtime.getRuntime().availableProcessors(),
                    loadAverage(), connectSeconds);
            int failures = 0;

            // Phase 1: saturation. Each room starts its next round as soon as the last is answered.
            if (saturated) {
                Counts c0 = counts(server);
                long start = System.nanoTime();
                for (Room room : roomList) {
                    room.startRound();
                }
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
                while (!roomsDone.await(500, TimeUnit.MILLISECONDS)) {
                    heapPeak = Math.max(heapPeak, server.health().path("heapUsedBytes").asLong());
                    if (System.nanoTime() > deadline) {
                        System.out.println("  TIMEOUT: " + roomsDone.getCount() + " rooms did not finish");
                        break;
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                settle();
                failures += report("saturated, closed loop, " + rounds + " rounds per room", c0, counts(server), seconds);
            }

            // Phase 2: paced. Rounds start on a timer, spread over the rooms, at about pacedRate messages/s.
            paced = true;
            latencies = new LatencyRecorder(2_000_000);
            Counts c1 = counts(server);
            double messagesPerRound = viewersPerRoom * (2.0 + 2.0 * CANDIDATES) + 1;
            long periodNanos = (long) (rooms * messagesPerRound / pacedRate * 1e9);
            ScheduledThreadPoolExecutor pacer = daemonScheduler("load-pacer", 1);
            long start = System.nanoTime();
            for (int r = 0; r < rooms; r++) {
                Room room = roomList.get(r);
                pacer.scheduleAtFixedRate(room::startRound, periodNanos * r / rooms, periodNanos, TimeUnit.NANOSECONDS);
            }
            long pacedEnd = start + TimeUnit.SECONDS.toNanos(pacedSeconds);
            while (System.nanoTime() < pacedEnd) {
                heapPeak = Math.max(heapPeak, server.health().path("heapUsedBytes").asLong());
                TimeUnit.MILLISECONDS.sleep(Math.max(1, Math.min(500, (pacedEnd - System.nanoTime()) / 1_000_000)));
            }
            pacer.shutdownNow();
            pacer.awaitTermination(5, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            settle();
            failures += report("paced at " + pacedRate + " messages/s for " + pacedSeconds + " s", c1, counts(server), seconds);

            JsonNode end = server.health();
            heapPeak = Math.max(heapPeak, end.path("heapUsedBytes").asLong());
            long[] cpu = server.cpuMillis();
            System.out.printf("  server%s: heap used %.1f MiB with %d peers joined (peak sampled %.1f MiB, -Xmx" + server.heap
                    + " each); RSS %.1f MiB; CPU %.1f s user + %.1f s system over the whole run%n",
                    server.size() > 1 ? "s (summed)" : "",
                    end.path("heapUsedBytes").asLong() / 1048576.0, end.path("peers").asInt(), heapPeak / 1048576.0,
                    server.rssKiB() / 1024.0, cpu[0] / 1000.0, cpu[1] / 1000.0);
            System.out.println(failures == 0 ? "  every message accounted for" : "  FAILED: see above");
            return failures == 0 ? 0 : 1;
        } finally {
            closeClients(all, sockets, jettyThreads, listeners);
        }
    }

    /** Closes the signaling clients, then the WebSocket clients under them and their threads. */
    static void closeClients(List<SignalingClient> clients, List<WebSocketClient> sockets, QueuedThreadPool jettyThreads,
                             ScheduledThreadPoolExecutor listeners) throws Exception {
        for (SignalingClient c : clients) {
            c.close();
        }
        for (WebSocketClient webSocket : sockets) {
            webSocket.stop();
        }
        jettyThreads.stop();
        listeners.shutdownNow();
    }

    /** A scheduled pool of {@code threads} daemon threads, each named {@code name}. */
    static ScheduledThreadPoolExecutor daemonScheduler(String name, int threads) {
        return new ScheduledThreadPoolExecutor(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** The Jetty clients' thread pool named {@code name}, started: a selector per loopback address, and workers. */
    static QueuedThreadPool jettyThreads(String name) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(ADDRESSES + 24, 8);
        threads.setName(name);
        threads.start();
        return threads;
    }

    /** One Jetty WebSocket client per loopback address 127.0.1.1 ..., on a shared thread pool. */
    static List<WebSocketClient> webSocketClients(QueuedThreadPool threads, int clients) throws Exception {
        List<WebSocketClient> sockets = new ArrayList<>();
        for (int a = 0; a < ADDRESSES; a++) {
            org.eclipse.jetty.client.HttpClient http = new org.eclipse.jetty.client.HttpClient();
            http.setExecutor(threads);
            http.setBindAddress(new java.net.InetSocketAddress("127.0.1." + (a + 1), 0));
            http.setMaxConnectionsPerDestination(clients + 10);
            http.setMaxRequestsQueuedPerDestination(clients + 10);
            WebSocketClient webSocket = new WebSocketClient(http);
            webSocket.setIdleTimeout(Duration.ofMinutes(10)); // the clients ping rarely: pings are not measured
            webSocket.start();
            sockets.add(webSocket);
        }
        return sockets;
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** Client-side counters and the server's figures at one moment. */
    private record Counts(long sent, long delivered, long rejected, Map<String, Long> reasons, JsonNode server,
                          long cross) {
    }

    private Counts counts(Servers server) throws Exception {
        Map<String, Long> reasons = new java.util.TreeMap<>();
        rejected.forEach((code, n) -> reasons.put(code, n.sum()));
        return new Counts(sent.sum(), delivered.sum(), rejectedTotal(), reasons, server.health(), crossSent.sum());
    }

    /** Waits (bounded) until every message sent so far is delivered or rejected. */
    private void settle() throws InterruptedException {
        long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (delivered.sum() + rejectedTotal() < sent.sum() && System.nanoTime() < settle) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private int report(String phase, Counts before, Counts after, double seconds) {
        long sentCount = after.sent - before.sent;
        long deliveredCount = after.delivered - before.delivered;
        long rejectedCount = after.rejected - before.rejected;
        long unaccounted = sentCount - deliveredCount - rejectedCount;
        StringBuilder clientReasons = new StringBuilder("{");
        after.reasons.forEach((code, n) -> {
            long d = n - before.reasons.getOrDefault(code, 0L);
            if (d != 0) {
                clientReasons.append(clientReasons.length() > 1 ? ", " : "").append(code).append('=').append(d);
            }
        });
        JsonNode b = before.server;
        JsonNode a = after.server;
        long serverReceived = a.path("messagesReceived").asLong() - b.path("messagesReceived").asLong();
        long serverRelayed = a.path("messagesRelayed").asLong() - b.path("messagesRelayed").asLong();
        // Connections closed by the request-header timeout are counted too (on a loaded machine even
        // a /health request of this JVM can stall that long): they are not messages.
        long notMessages = a.path("rejected").path("request-timeout").asLong()
                - b.path("rejected").path("request-timeout").asLong();
        long serverRejected = a.path("messagesRejected").asLong() - b.path("messagesRejected").asLong() - notMessages;
        StringBuilder serverReasons = new StringBuilder("{");
        a.path("rejected").fields().forEachRemaining(e -> {
            long n = e.getValue().asLong() - b.path("rejected").path(e.getKey()).asLong();
            if (n != 0) {
                serverReasons.append(serverReasons.length() > 1 ? ", " : "").append(e.getKey()).append('=').append(n);
            }
        });
        LatencyRecorder l = latencies;
        System.out.printf("  [%s]%n", phase);
        System.out.printf("    sent %d in %.2f s = %.0f messages/s; delivered %d, rejected %d %s, unaccounted %d%n",
                sentCount, seconds, sentCount / seconds, deliveredCount, rejectedCount, clientReasons.append('}'), unaccounted);
        System.out.printf("    server's figures: received %d, relayed %d, rejected %d %s%n", serverReceived, serverRelayed,
                serverRejected, serverReasons.append('}'));
        System.out.printf("    relay latency (send -> receiver's listener): p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d samples)%n",
                l.percentile(50) / 1e6, l.percentile(99) / 1e6, l.percentile(100) / 1e6, l.count());
        long cross = after.cross - before.cross;
        if (cross > 0) {
            System.out.printf("    addressed to a peer on the other server: %d of %d (%.0f %%)%n", cross, sentCount,
                    100.0 * cross / sentCount);
        }
        summary.add(String.format("| %s | %s | %.0f | %.2f ms | %.2f ms | %.2f ms | %.0f %% | %d |", setup,
                phase.startsWith("saturated") ? "saturated" : "paced " + pacedRate + "/s", deliveredCount / seconds,
                l.percentile(50) / 1e6, l.percentile(99) / 1e6, l.percentile(100) / 1e6, 100.0 * cross / sentCount,
                unaccounted));
        // With the default idle timeout the clients ping (every 20 s): the server counts those too.
        long pings = serverReceived - sentCount;
        if (pings != 0) {
            System.out.printf("    the server received %d more messages than the clients sent for the run: their pings%n", pings);
        }
        boolean agrees = (pings == 0 || limits.equals("default") && pings > 0 && pings <= 2L * clients)
                && serverRelayed == deliveredCount && serverRejected == rejectedCount;
        if (unaccounted != 0 || !agrees) {
            System.out.println("    FAILED: messages unaccounted for, or the server's figures disagree with the clients'");
            return 1;
        }
        return 0;
    }

    private long rejectedTotal() {
        return rejected.values().stream().mapToLong(LongAdder::sum).sum();
    }

    private String rejectedSummary() {
        StringBuilder b = new StringBuilder("{");
        rejected.forEach((code, n) -> b.append(b.length() > 1 ? ", " : "").append(code).append('=').append(n.sum()));
        return b.append('}').toString();
    }

    private SignalingClient client(URI uri, WebSocketClient webSocket, ScheduledThreadPoolExecutor listeners,
                                   String room, String role, SignalingListener listener) {
        return SignalingClient.builder(uri).room(room).role(role).listener(listener)
                .webSocketClient(webSocket).executor(listeners)
                .pingInterval(Duration.ofMinutes(30)).build();
    }

    private void send(CompletableFuture<Void> sending) {
        send(sending, false);
    }

    private void send(CompletableFuture<Void> sending, boolean cross) {
        if (cross) {
            crossSent.increment();
        }
        sent.increment();
        sending.exceptionally(failure -> {
            rejected.computeIfAbsent("client-send-failed", k -> new LongAdder()).increment();
            return null;
        });
    }

    private static String stamp() {
        return Long.toString(System.nanoTime());
    }

    /** A time stamp, padded with SDP-like lines to {@code load.sdpBytes}. */
    private String sdp() {
        return sdp(stamp(), sdpBytes);
    }

    static String sdp(String stamp, int bytes) {
        if (bytes <= 0) {
            return stamp;
        }
        StringBuilder sdp = new StringBuilder(bytes).append(stamp).append(" \r\n");
        String line = "a=candidate:842163049 1 udp 1677729535 192.0.2.1 50000 typ srflx raddr 10.0.0.1 rport 50000\r\n";
        while (sdp.length() + line.length() <= bytes) {
            sdp.append(line);
        }
        return sdp.append("x".repeat(bytes - sdp.length())).toString();
    }

    private void received(String stamp) {
        int space = stamp.indexOf(' ');
        latencies.record(System.nanoTime() - Long.parseLong(space < 0 ? stamp : stamp.substring(0, space)));
        delivered.increment();
    }

    /** One room: its publisher's closed loop of rounds and its viewers' replies. */
    private final class Room {
        final String name;
        final List<String> viewerIds = java.util.Collections.synchronizedList(new ArrayList<>());
        final Map<String, Integer> viewerNodes = new ConcurrentHashMap<>();
        volatile int publisherNode;
        volatile SignalingClient publisher;
        volatile String foreignId;
        final AtomicInteger round = new AtomicInteger();
        final AtomicInteger repliesThisRound = new AtomicInteger();

        Room(String name) {
            this.name = name;
        }

        void startRound() {
            round.incrementAndGet();
            repliesThisRound.set(0);
            for (String viewer : List.copyOf(viewerIds)) {
                boolean cross = viewerNodes.get(viewer) != publisherNode;
                send(publisher.sendOffer(viewer, sdp()), cross);
                for (int c = 0; c < CANDIDATES; c++) {
                    send(publisher.sendCandidate(viewer, new IceCandidate("0", 0, stamp())), cross);
                }
            }
            send(publisher.sendOffer(foreignId, stamp())); // must come back as unknown-peer
        }

        private void reply() {
            if (paced) {
                return; // the pacer starts rounds
            }
            if (repliesThisRound.incrementAndGet() == viewersPerRoom * (1 + CANDIDATES)) {
                if (round.get() < rounds) {
                    startRound();
                } else {
                    roomsDone.countDown();
                }
            }
        }

        final class Publisher implements SignalingListener {
            @Override
            public void onAnswer(PeerInfo from, String sdp) {
                received(sdp);
                reply();
            }

            @Override
            public void onCandidate(PeerInfo from, IceCandidate candidate) {
                received(candidate.candidate());
                reply();
            }

            @Override
            public void onError(SignalingError error) {
                rejected.computeIfAbsent(error.code(), k -> new LongAdder()).increment();
            }
        }

        final class Viewer implements SignalingListener {
            volatile SignalingClient self;
            volatile int node;

            @Override
            public void onOffer(PeerInfo from, String sdp) {
                received(sdp);
                SignalingClient me = self;
                boolean cross = node != publisherNode;
                send(me.sendAnswer(from.id(), sdp()), cross);
                for (int c = 0; c < CANDIDATES; c++) {
                    send(me.sendCandidate(from.id(), new IceCandidate("0", 0, stamp())), cross);
                }
            }

            @Override
            public void onCandidate(PeerInfo from, IceCandidate candidate) {
                received(candidate.candidate());
            }

            @Override
            public void onError(SignalingError error) {
                rejected.computeIfAbsent(error.code(), k -> new LongAdder()).increment();
            }
        }
    }

    /** Latencies in ns, kept in full (a few MB) for exact percentiles. */
    static final class LatencyRecorder {
        private final long[] values;
        private final AtomicLong next = new AtomicLong();

        LatencyRecorder(int capacity) {
            values = new long[capacity];
        }

        void record(long nanos) {
            long i = next.getAndIncrement();
            if (i < values.length) {
                values[(int) i] = nanos;
            }
        }

        int count() {
            return (int) Math.min(next.get(), values.length);
        }

        double percentile(double p) {
            long[] sorted = java.util.Arrays.copyOf(values, count());
            java.util.Arrays.sort(sorted);
            if (sorted.length == 0) {
                return 0;
            }
            int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
            return sorted[Math.max(0, index)];
        }
    }
}
