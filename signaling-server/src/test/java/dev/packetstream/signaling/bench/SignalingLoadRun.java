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

    private final int clients = Integer.getInteger("load.clients", 1000);
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

    public static void main(String[] args) throws Exception {
        int exit = new SignalingLoadRun().run();
        System.exit(exit);
    }

    private int run() throws Exception {
        if (viewersPerRoom < 1) {
            throw new IllegalArgumentException("need at least 2 clients per room");
        }
        ServerProcess server = ServerProcess.start();
        ScheduledThreadPoolExecutor listeners = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "load-listeners");
            t.setDaemon(true);
            return t;
        });
        org.eclipse.jetty.client.HttpClient http = new org.eclipse.jetty.client.HttpClient();
        QueuedThreadPool jettyThreads = new QueuedThreadPool(16, 4);
        jettyThreads.setName("load-jetty");
        http.setExecutor(jettyThreads);
        http.setMaxConnectionsPerDestination(clients + 10);
        http.setMaxRequestsQueuedPerDestination(clients + 10);
        WebSocketClient webSocket = new WebSocketClient(http);
        webSocket.setIdleTimeout(Duration.ofMinutes(10)); // the clients ping rarely: pings are not measured
        webSocket.start();

        List<Room> roomList = new ArrayList<>();
        List<SignalingClient> all = new ArrayList<>();
        long connectStart = System.nanoTime();
        try {
            for (int r = 0; r < rooms; r++) {
                roomList.add(new Room("load-" + r));
            }
            // Connect in batches of 100 so that the accept queue is not the thing measured.
            List<CompletableFuture<Joined>> batch = new ArrayList<>();
            for (Room room : roomList) {
                for (int v = 0; v < viewersPerRoom; v++) {
                    Room.Viewer listener = room.new Viewer();
                    SignalingClient viewer = client(server.uri, webSocket, listeners, room.name, "viewer", listener);
                    listener.self = viewer;
                    all.add(viewer);
                    batch.add(viewer.connect().thenApply(j -> {
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
                room.publisher = client(server.uri, webSocket, listeners, room.name, "publisher", room.new Publisher());
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

            System.out.printf("signaling load run: %d clients in %d rooms (1 publisher + %d viewers), %d candidates per offer/answer%n",
                    clients, rooms, viewersPerRoom, CANDIDATES);
            System.out.printf("  machine: %d cores, load average before the run %s, client and server JVMs on the same machine"
                    + " (loopback); connect + join of all clients: %.2f s%n", Runtime.getRuntime().availableProcessors(),
                    loadAverage(), connectSeconds);
            int failures = 0;

            // Phase 1: saturation. Each room starts its next round as soon as the last is answered.
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

            // Phase 2: paced. Rounds start on a timer, spread over the rooms, at about pacedRate messages/s.
            paced = true;
            latencies = new LatencyRecorder(2_000_000);
            Counts c1 = counts(server);
            double messagesPerRound = viewersPerRoom * (2.0 + 2.0 * CANDIDATES) + 1;
            long periodNanos = (long) (rooms * messagesPerRound / pacedRate * 1e9);
            ScheduledThreadPoolExecutor pacer = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "load-pacer");
                t.setDaemon(true);
                return t;
            });
            start = System.nanoTime();
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
            seconds = (System.nanoTime() - start) / 1e9;
            settle();
            failures += report("paced at " + pacedRate + " messages/s for " + pacedSeconds + " s", c1, counts(server), seconds);

            JsonNode end = server.health();
            heapPeak = Math.max(heapPeak, end.path("heapUsedBytes").asLong());
            long[] cpu = server.cpuMillis();
            System.out.printf("  server: heap used %.1f MiB with %d peers joined (peak sampled %.1f MiB, -Xmx512m); RSS %.1f MiB;"
                    + " CPU %.1f s user + %.1f s system over the whole run%n",
                    end.path("heapUsedBytes").asLong() / 1048576.0, end.path("peers").asInt(), heapPeak / 1048576.0,
                    server.rssKiB() / 1024.0, cpu[0] / 1000.0, cpu[1] / 1000.0);
            System.out.println(failures == 0 ? "  every message accounted for" : "  FAILED: see above");
            return failures == 0 ? 0 : 1;
        } finally {
            for (SignalingClient c : all) {
                c.close();
            }
            webSocket.stop();
            listeners.shutdownNow();
            server.stop();
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** Client-side counters and the server's figures at one moment. */
    private record Counts(long sent, long delivered, long rejected, Map<String, Long> reasons, JsonNode server) {
    }

    private Counts counts(ServerProcess server) throws Exception {
        Map<String, Long> reasons = new java.util.TreeMap<>();
        rejected.forEach((code, n) -> reasons.put(code, n.sum()));
        return new Counts(sent.sum(), delivered.sum(), rejectedTotal(), reasons, server.health());
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
        long serverRejected = a.path("messagesRejected").asLong() - b.path("messagesRejected").asLong();
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
        boolean agrees = serverReceived == sentCount && serverRelayed == deliveredCount && serverRejected == rejectedCount;
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
        sent.increment();
        sending.exceptionally(failure -> {
            rejected.computeIfAbsent("client-send-failed", k -> new LongAdder()).increment();
            return null;
        });
    }

    private static String stamp() {
        return Long.toString(System.nanoTime());
    }

    private void received(String stamp) {
        latencies.record(System.nanoTime() - Long.parseLong(stamp));
        delivered.increment();
    }

    /** One room: its publisher's closed loop of rounds and its viewers' replies. */
    private final class Room {
        final String name;
        final List<String> viewerIds = java.util.Collections.synchronizedList(new ArrayList<>());
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
                send(publisher.sendOffer(viewer, stamp()));
                for (int c = 0; c < CANDIDATES; c++) {
                    send(publisher.sendCandidate(viewer, new IceCandidate("0", 0, stamp())));
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

            @Override
            public void onOffer(PeerInfo from, String sdp) {
                received(sdp);
                SignalingClient me = self;
                send(me.sendAnswer(from.id(), stamp()));
                for (int c = 0; c < CANDIDATES; c++) {
                    send(me.sendCandidate(from.id(), new IceCandidate("0", 0, stamp())));
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

    /** The server in a child JVM running {@link SignalingServerMain}. */
    private static final class ServerProcess {
        final Process process;
        final URI uri;
        final URI health;
        final HttpClient http = HttpClient.newHttpClient();
        final ObjectMapper json = new ObjectMapper();

        private ServerProcess(Process process, int port) {
            this.process = process;
            this.uri = URI.create("ws://127.0.0.1:" + port + "/ws");
            this.health = URI.create("http://127.0.0.1:" + port + "/health");
        }

        static ServerProcess start() throws Exception {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process process = new ProcessBuilder(java.toString(), "-Xmx512m", "-Xms64m",
                    "-Dorg.slf4j.simpleLogger.log.org.eclipse.jetty=warn",
                    "-cp", System.getProperty("java.class.path"), SignalingServerMain.class.getName(),
                    "--port", "0", "--max-messages-per-second", "100000", "--max-peers-per-room", "16",
                    "--max-rooms", "1000", "--idle-timeout-seconds", "600")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<Integer> port = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        if (line.startsWith("LISTENING port=")) {
                            port.complete(Integer.parseInt(line.substring("LISTENING port=".length()).split(" ")[0]));
                        }
                    }
                } catch (Exception e) {
                    port.completeExceptionally(e);
                }
                port.completeExceptionally(new IllegalStateException("server exited before listening"));
            }, "server-stdout");
            reader.setDaemon(true);
            reader.start();
            return new ServerProcess(process, port.get(30, TimeUnit.SECONDS));
        }

        JsonNode health() throws Exception {
            return json.readTree(http.send(HttpRequest.newBuilder(health).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        }

        long rssKiB() throws Exception {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return -1;
        }

        /** utime and stime of the server process in ms (Linux /proc, 100 ticks per second). */
        long[] cpuMillis() throws Exception {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(fields[11]) * 10, Long.parseLong(fields[12]) * 10};
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** Latencies in ns, kept in full (a few MB) for exact percentiles. */
    private static final class LatencyRecorder {
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
