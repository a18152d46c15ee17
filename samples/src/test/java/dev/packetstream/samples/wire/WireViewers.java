package dev.packetstream.samples.wire;

import dev.packetstream.samples.LoadReceivers;
import dev.packetstream.signaling.PeerInfo;
import dev.packetstream.signaling.SignalingClient;
import dev.packetstream.signaling.bridge.PeerDirectory;
import dev.packetstream.signaling.bridge.PeerSignaller;
import dev.packetstream.signaling.bridge.RoomConnection;
import dev.packetstream.signaling.bridge.RoomListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cheap non-decoding WebRTC viewers of a relay, for its capacity figure: each is a real peer of the
 * relay (signaling as a {@code viewer}, ICE-lite, a DTLS 1.2 handshake as the client with use_srtp,
 * SRTP authenticated and decrypted where it counts keyframes), but all of them share one receive
 * thread (an NIO selector over one UDP socket each), DTLS handshakes run on a small pool, and
 * signaling on one WebSocket client with two threads. Nothing is decoded and no RTCP is sent.
 *
 * <p>Threads: {@code wire-rx} (receive), {@code wire-dtls-N} (handshakes, up to 4),
 * {@code wire-signaling} (2) and {@code wire-ws-N} (the WebSocket client's); {@link #close()} ends
 * and joins them all.
 */
public final class WireViewers implements LoadReceivers {
    private static final Logger log = LoggerFactory.getLogger(WireViewers.class);

    private final URI server;
    private final String room;
    private final double fps;
    private final SelfCertificate identity = new SelfCertificate();
    private final List<WireViewer> viewers = new CopyOnWriteArrayList<>();
    private final Queue<WireViewer> toRegister = new ConcurrentLinkedQueue<>();
    private final Selector selector;
    private final Thread receiver;
    private final ThreadPoolExecutor handshakes;
    private final ScheduledExecutorService signalingThreads;
    private final QueuedThreadPool webSocketThreads = new QueuedThreadPool(8, 2);
    private final WebSocketClient webSockets;
    private volatile boolean running = true;

    public WireViewers(URI webSocket, String room, double fps) {
        this.server = webSocket;
        this.room = room;
        this.fps = fps;
        this.handshakes = new ThreadPoolExecutor(4, 4, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), named("wire-dtls", true));
        handshakes.allowCoreThreadTimeOut(true);
        this.signalingThreads = Executors.newScheduledThreadPool(2, named("wire-signaling", false));
        webSocketThreads.setName("wire-ws");
        webSocketThreads.setDaemon(true);
        HttpClient http = new HttpClient();
        http.setExecutor(webSocketThreads);
        this.webSockets = new WebSocketClient(http);
        try {
            this.selector = Selector.open();
            webSockets.start();
        } catch (Exception e) {
            shutDownPools();
            throw new IllegalStateException("could not start the wire viewers' selector or WebSocket client: " + e, e);
        }
        this.receiver = new Thread(this::receiveLoop, "wire-rx");
        receiver.setDaemon(true);
        receiver.start();
    }

    private static ThreadFactory named(String prefix, boolean numbered) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, numbered ? prefix + "-" + n.incrementAndGet() : prefix);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public String describe() {
        return "wire viewers (Java ICE-lite + BouncyCastle DTLS-SRTP, one receive thread, counting RTP headers, not decoding)";
    }

    @Override
    public void growTo(int count) {
        while (viewers.size() < count) {
            WireViewer v;
            try {
                v = new WireViewer("wire-viewer-" + viewers.size(), identity, handshakes, fps);
            } catch (IOException e) {
                throw new IllegalStateException("could not open a UDP socket on 127.0.0.1 for viewer " + viewers.size() + ": " + e, e);
            }
            viewers.add(v);
            toRegister.add(v);
            selector.wakeup();
            RoomListener listener = new RoomListener() {
                @Override
                public void unknownOffer(PeerDirectory peers, PeerInfo peer, String sdp) {
                    PeerSignaller s = peers.signallerFor(peer.id());
                    s.bind(v.listener(s));
                }
            };
            v.connection = RoomConnection.open(SignalingClient.builder(server).room(room).role("viewer")
                    .webSocketClient(webSockets).executor(signalingThreads), listener).join();
        }
    }

    @Override
    public List<WireViewer> viewers() {
        return List.copyOf(viewers);
    }

    private void receiveLoop() {
        byte[] buf = new byte[2048];
        ByteBuffer bb = ByteBuffer.wrap(buf);
        try {
            while (running) {
                selector.select(200);
                for (WireViewer v; (v = toRegister.poll()) != null; ) {
                    if (v.channel.isOpen()) {
                        v.channel.register(selector, SelectionKey.OP_READ, v);
                    }
                }
                for (var it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey key = it.next();
                    it.remove();
                    WireViewer v = (WireViewer) key.attachment();
                    try {
                        for (int i = 0; i < 64; i++) { // drain, but let the other sockets have their turn
                            bb.clear();
                            InetSocketAddress from = (InetSocketAddress) v.channel.receive(bb);
                            if (from == null) {
                                break;
                            }
                            if (bb.position() > 0) {
                                v.onDatagram(buf, bb.position(), from);
                            }
                        }
                    } catch (IOException e) {
                        if (v.channel.isOpen()) {
                            log.debug("{}: receive failed: {}", v.name, e.toString());
                        }
                        key.cancel();
                    }
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            if (running) {
                log.warn("wire viewers' receive loop stopped: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        for (WireViewer v : viewers) {
            try {
                v.close();
            } catch (RuntimeException e) {
                log.debug("{}: close failed: {}", v.name, e.toString());
            }
        }
        running = false;
        selector.wakeup();
        try {
            receiver.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            selector.close();
        } catch (IOException e) {
            // closing anyway
        }
        try {
            webSockets.stop();
        } catch (Exception e) {
            // closing anyway
        }
        shutDownPools();
    }

    private void shutDownPools() {
        handshakes.shutdownNow();
        signalingThreads.shutdownNow();
        try {
            handshakes.awaitTermination(5, TimeUnit.SECONDS);
            signalingThreads.awaitTermination(5, TimeUnit.SECONDS);
            webSocketThreads.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
