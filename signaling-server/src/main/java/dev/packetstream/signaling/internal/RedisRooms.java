package dev.packetstream.signaling.internal;

import dev.packetstream.signaling.ErrorCode;
import dev.packetstream.signaling.ProtocolException;
import dev.packetstream.signaling.SignalingLimits;
import dev.packetstream.signaling.internal.ClusterMessages.Member;
import java.net.InetAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Rooms shared by several servers through one Redis: membership and limits live in Redis
 * ({@link RedisScripts}), each server keeps a copy of the rooms its peers are in
 * ({@link SharedRoom}), and messages for a peer of another server go to that server's channel.
 *
 * <h2>Order</h2>
 * Membership changes are numbered by Redis and reach each server on its one channel in that
 * order; notices are written from there, so every member sees the same order. A peer is added to
 * its server's rooms when its own J arrives on that channel, with its outbox held until its
 * {@code joined} is written. Relays to a local peer are written directly; to a remote one they
 * are one PUBLISH, queued without waiting.
 *
 * <h2>Presence</h2>
 * Each server renews a key with an expiry ({@code presence}) every third of it and removes the
 * servers whose key expired, with their peers (each reported as left): a killed server's peers
 * are reported left within about 1⅓ × {@code presence}. When Redis is lost, the server goes on
 * serving its own peers (relays among them, leaves); joins and relays to other servers get
 * {@link ErrorCode#CLUSTER_UNAVAILABLE}. When Redis is back, it registers again, puts its peers
 * back in their rooms, and tells them which peers of other servers left or came meanwhile.
 *
 * <h2>Threads</h2>
 * Channel messages run on the link's subscribe thread; presence and re-joining on the thread
 * {@code signaling-server-redis-presence}. Joins and leaves take a read lock, re-joining the
 * write lock, so a re-join sees no join half done.
 */
public final class RedisRooms implements Rooms {
    private static final Logger LOG = LoggerFactory.getLogger(RedisRooms.class);
    private static final long JOIN_TIMEOUT_MS = 5_000;

    private final SignalingLimits limits;
    private final ServerMessages messages;
    private final Counters counters;
    private final Duration presence;
    private final String node;
    private final RedisLink link;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, SharedRoom> rooms = new ConcurrentHashMap<>();
    private final Map<String, Peer> localPeers = new ConcurrentHashMap<>();
    private final Map<String, PendingJoin> pending = new ConcurrentHashMap<>();
    private final Map<String, String> addresses = new ConcurrentHashMap<>(); // peer id -> client address
    private final Object lock = new Object();
    private final ReentrantReadWriteLock rejoinLock = new ReentrantReadWriteLock();
    private final ScheduledExecutorService presenceThread;
    private final ChannelHandler channel;
    private volatile boolean needsRejoin;
    private boolean registered; // presence thread only
    private long downSinceNanos; // presence thread only
    private volatile boolean closed;


    public RedisRooms(URI redis, Duration presence, SignalingLimits limits, ServerMessages messages, Counters counters) {
        this.limits = limits;
        this.messages = messages;
        this.counters = counters;
        this.presence = presence;
        this.node = "n" + RoomRegistry.newId(random).substring(1);
        this.channel = new ChannelHandler(node, messages, counters, lock, rooms, localPeers, pending, this::rejoinSoon);
        this.link = new RedisLink(redis, node, counters, channel::onMessage, this::rejoinSoon);
        this.presenceThread = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "signaling-server-redis-presence"));
    }

    /** This server's id in Redis. */
    public String node() {
        return node;
    }

    @Override
    public void start() {
        try {
            link.start();
            link.eval(RedisScripts.HEARTBEAT, List.of(node, Long.toString(presence.toMillis())));
            registered = true;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        long every = Math.max(50, presence.toMillis() / 3);
        presenceThread.scheduleWithFixedDelay(this::maintain, every, every, TimeUnit.MILLISECONDS);
        LOG.info("server {} shares its rooms through Redis at {} (presence {} ms)", node, link.uri(), presence.toMillis());
    }

    @Override
    public Peer join(String roomName, String role, Outbox outbox, String mid, InetAddress address)
            throws ProtocolException {
        try {
            if (!rejoinLock.readLock().tryLock(JOIN_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                throw unavailable();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        }
        try {
            if (!link.up()) {
                throw unavailable();
            }
            return joinLinked(roomName, role, outbox, mid, address.getHostAddress());
        } finally {
            rejoinLock.readLock().unlock();
        }
    }

    private Peer joinLinked(String roomName, String role, Outbox outbox, String mid, String address)
            throws ProtocolException {
        String id = RoomRegistry.newId(random);
        PendingJoin entry = new PendingJoin(roomName, role, outbox, new CompletableFuture<>());
        outbox.hold();
        pending.put(id, entry);
        boolean done = false;
        try {
            addresses.put(id, address);
            List<?> result = (List<?>) link.eval(RedisScripts.JOIN, List.of(roomName, id, role, node,
                    Integer.toString(limits.maxPeersPerRoom()), Integer.toString(limits.maxRooms()), address,
                    Integer.toString(limits.maxRoomsPerAddress())));
            String status = (String) result.get(0);
            switch (status) {
                case "ok" -> { }
                case "room-full" -> throw new ProtocolException(ErrorCode.ROOM_FULL, "room \"" + roomName
                        + "\" already has " + result.get(1) + " peers, its limit: try later or another room");
                case "server-full" -> throw new ProtocolException(ErrorCode.SERVER_FULL, "the servers already have "
                        + result.get(1) + " rooms, their limit: join an existing room or try later");
                case "too-many-rooms" -> throw new ProtocolException(ErrorCode.TOO_MANY_ROOMS, "your address " + address
                        + " already has peers in " + result.get(1) + " rooms on these servers, the limit per address:"
                        + " leave one first, or ask the operator to raise maxRoomsPerAddress");
                case "gone" -> {
                    rejoinSoon();
                    throw unavailable();
                }
                default -> throw new ProtocolException(ErrorCode.INTERNAL, "joining failed (" + status + "): try again");
            }
            List<Peer> others = new ArrayList<>();
            for (Object member : result.subList(2, result.size())) {
                String[] kv = ((String) member).split("=", 2);
                Member m = Member.parse(kv[1]);
                others.add(new Peer(kv[0], m.role(), null, m.order(), null)); // for the joined message only
            }
            others.sort(Comparator.comparingLong(Peer::joinOrder));
            Peer peer = entry.peer().get(JOIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            outbox.release(messages.joined(peer, others, limits, mid));
            done = true;
            return peer;
        } catch (JedisException e) {
            LOG.warn("join of room {} failed: Redis at {}: {}", roomName, link.uri(), e.getMessage());
            throw unavailable();
        } catch (TimeoutException | ExecutionException e) {
            LOG.warn("join of room {}: this server's own notice did not come back from Redis within {} ms",
                    roomName, JOIN_TIMEOUT_MS);
            throw unavailable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        } finally {
            if (!done) {
                undoJoin(id, roomName);
                outbox.release(null);
            }
        }
    }

    private void undoJoin(String id, String roomName) {
        Peer registeredPeer;
        addresses.remove(id);
        synchronized (lock) {
            pending.remove(id);
            registeredPeer = localPeers.remove(id);
            if (registeredPeer != null) {
                registeredPeer.room().remove(registeredPeer);
            }
        }
        try {
            link.eval(RedisScripts.LEAVE, List.of(roomName, id, node));
        } catch (JedisException e) {
            needsRejoin = true;
        }
    }

    @Override
    public void leave(Peer peer) {
        rejoinLock.readLock().lock();
        try {
            synchronized (lock) {
                if (!peer.room().remove(peer)) {
                    return;
                }
                localPeers.remove(peer.id(), peer);
                addresses.remove(peer.id());
            }
            boolean sent = false;
            if (link.up()) {
                try {
                    link.eval(RedisScripts.LEAVE, List.of(peer.room().name(), peer.id(), node));
                    sent = true;
                } catch (JedisException e) {
                    LOG.debug("leave of {} not sent to Redis", peer.id(), e);
                }
            }
            if (!sent) {
                // Redis is lost: this server's peers learn it now, the others when it is back.
                needsRejoin = true;
                synchronized (lock) {
                    SharedRoom room = rooms.get(peer.room().name());
                    if (room != null && room.members.remove(peer.id()) != null) {
                        channel.notify(room, messages.peerLeft(peer), peer.id());
                        channel.dropIfUnused(room);
                    }
                }
            }
        } finally {
            rejoinLock.readLock().unlock();
        }
    }

    @Override
    public RelayTarget addressed(Peer from, String id) throws ProtocolException {
        if (id.equals(from.id())) {
            throw Rooms.ownId();
        }
        Peer local = from.room().member(id);
        if (local != null) {
            return local.outbox();
        }
        SharedRoom room = rooms.get(from.room().name());
        Member member = room == null ? null : room.members.get(id);
        if (member == null || member.node().equals(node)) {
            throw Rooms.unknownPeer(id, from.room().name());
        }
        if (!link.up()) {
            throw unavailable();
        }
        String target = member.node();
        return text -> {
            if (!link.publish(target, ClusterMessages.relay(id, text))) {
                counters.rejected(ErrorCode.CLUSTER_UNAVAILABLE);
            }
        };
    }

    @Override
    public void relayToRoom(Peer from, String text) {
        for (Peer member : from.room().members()) {
            if (member != from) {
                member.outbox().relay(text);
            }
        }
        SharedRoom room = rooms.get(from.room().name());
        if (room == null) {
            return;
        }
        Set<String> nodes = null;
        String message = null;
        for (Member member : room.members.values()) {
            if (member.node().equals(node)) {
                continue;
            }
            if (nodes == null) {
                nodes = new HashSet<>(4);
                message = ClusterMessages.roomEvent(room.name(), from.id(), text);
            }
            if (nodes.add(member.node()) && !link.publish(member.node(), message)) {
                counters.rejected(ErrorCode.CLUSTER_UNAVAILABLE);
            }
        }
    }

    private void rejoinSoon() {
        needsRejoin = true;
        if (!closed) {
            presenceThread.execute(this::maintain);
        }
    }

    /** Presence, removal of dead servers, and putting peers back after a lost link (presence thread). */
    private void maintain() {
        if (closed) {
            return;
        }
        try {
            Object fresh = link.eval(RedisScripts.HEARTBEAT, List.of(node, Long.toString(presence.toMillis())));
            if (Long.valueOf(1).equals(fresh) && registered) {
                LOG.warn("Redis at {} had lost this server ({}): registering it and its peers again", link.uri(), node);
                needsRejoin = true;
            }
            registered = true;
            if (needsRejoin && link.subscribed()) {
                new Rejoin(this).run();
            }
            channel.expireSuspects();
            List<?> reaped = (List<?>) link.eval(RedisScripts.REAP, List.of());
            if (!reaped.isEmpty()) {
                LOG.info("servers {} sent no presence for {} ms: their peers were reported as left", reaped,
                        presence.toMillis());
            }
            if (downSinceNanos != 0 && link.up()) {
                LOG.info("Redis at {} is back after {} ms", link.uri(), (System.nanoTime() - downSinceNanos) / 1_000_000);
                downSinceNanos = 0;
            }
        } catch (JedisException e) {
            needsRejoin = true;
            if (downSinceNanos == 0) {
                downSinceNanos = System.nanoTime();
                LOG.warn("Redis at {} cannot be reached ({}): serving this server's own peers only until it is back",
                        link.uri(), e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.error("presence upkeep failed", e);
        }
    }

    // For Rejoin (same package): one line each.
    SignalingLimits limits() { return limits; }
    Duration presence() { return presence; }
    ServerMessages messages() { return messages; }
    RedisLink link() { return link; }
    String nodeId() { return node; }
    Object lock() { return lock; }
    Map<String, SharedRoom> sharedRooms() { return rooms; }
    Map<String, Peer> localPeers() { return localPeers; }
    String addressOf(String peerId) { return addresses.getOrDefault(peerId, "0.0.0.0"); }
    ReentrantReadWriteLock rejoinLock() { return rejoinLock; }
    void clearRejoin() { needsRejoin = false; }
    void requestRejoin() { needsRejoin = true; }
    ChannelHandler channel() { return channel; }

    @Override
    public int rooms() {
        int count = 0;
        for (SharedRoom room : rooms.values()) {
            if (room.local.size() > 0) {
                count++;
            }
        }
        return count;
    }

    @Override
    public int peers() {
        return localPeers.size();
    }

    @Override
    public Boolean clusterConnected() {
        return link.up();
    }

    /** Unregisters this server (its remaining peers are reported left) and stops the threads. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        presenceThread.shutdownNow();
        try {
            presenceThread.awaitTermination(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (registered) {
            try {
                link.eval("redis.call('DEL', 'ps:alive:' .. ARGV[1])", List.of(node));
                link.eval(RedisScripts.REAP, List.of());
            } catch (RuntimeException e) {
                LOG.debug("could not unregister from Redis; the others will after {} ms", presence.toMillis(), e);
            }
        }
        link.close();
    }

    private static ProtocolException unavailable() {
        return new ProtocolException(ErrorCode.CLUSTER_UNAVAILABLE, "this server lost its link to the other servers"
                + " (Redis): try again in a few seconds");
    }
}
