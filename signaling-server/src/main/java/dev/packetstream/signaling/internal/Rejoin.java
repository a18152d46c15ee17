package dev.packetstream.signaling.internal;

import dev.packetstream.signaling.internal.ClusterMessages.Change;
import dev.packetstream.signaling.internal.ClusterMessages.Member;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a server's peers back into Redis after its link was lost (Redis restarted empty, or the
 * others presumed this server dead), and brings its copies of the rooms up to date: its peers get
 * {@code peer-joined} for the peers of other servers that came meanwhile, and {@code peer-left} for
 * those missing that their server does not put back within one presence period. A peer whose room filled up meanwhile is closed (status 1013, try again later).
 *
 * <h2>Threads</h2>
 * Runs on the presence thread, holding the write lock of {@link RedisRooms#rejoinLock()}: no join
 * or leave is half done meanwhile. Changes arriving on the channel meanwhile are kept and applied
 * after, in order.
 */
final class Rejoin {
    private static final Logger LOG = LoggerFactory.getLogger(Rejoin.class);

    private final RedisRooms rooms;

    Rejoin(RedisRooms rooms) {
        this.rooms = rooms;
    }

    void run() {
        rooms.rejoinLock().writeLock().lock();
        try {
            rooms.clearRejoin();
            List<String> ids = new ArrayList<>();
            ids.add(rooms.nodeId());
            ids.addAll(rooms.localPeers().keySet());
            rooms.link().eval(RedisScripts.FORGET_GONE, ids);
            long least = 0;
            synchronized (rooms.lock()) {
                for (SharedRoom room : rooms.sharedRooms().values()) {
                    least = Math.max(least, room.lastSeq);
                }
            }
            int peers = 0;
            for (SharedRoom room : List.copyOf(rooms.sharedRooms().values())) {
                peers += rejoin(room, least);
            }
            LOG.info("server {} put {} peers back into their rooms in Redis", rooms.nodeId(), peers);
        } catch (RuntimeException e) {
            rooms.requestRejoin();
            throw e;
        } finally {
            rooms.rejoinLock().writeLock().unlock();
        }
    }

    private int rejoin(SharedRoom room, long least) {
        List<Peer> locals = room.local.members();
        synchronized (rooms.lock()) {
            if (locals.isEmpty()) {
                rooms.channel().dropIfUnused(room);
                return 0;
            }
            room.buffered = new ArrayList<>();
        }
        List<?> result;
        try {
            List<String> args = new ArrayList<>(List.of(room.name(), rooms.nodeId(),
                    Integer.toString(rooms.limits().maxPeersPerRoom()), Integer.toString(rooms.limits().maxRooms()),
                    Long.toString(least)));
            for (Peer peer : locals) {
                args.add(peer.id());
                args.add(peer.role());
                args.add(Long.toString(peer.joinOrder()));
                args.add(rooms.addressOf(peer.id()));
            }
            result = (List<?>) rooms.link().eval(RedisScripts.REJOIN, args);
        } catch (RuntimeException e) {
            synchronized (rooms.lock()) {
                List<Change> kept = room.buffered;
                room.buffered = null;
                kept.forEach(change -> rooms.channel().apply(room, change));
            }
            throw e;
        }
        long seq = Long.parseLong((String) result.get(0));
        int refusedCount = Integer.parseInt((String) result.get(1));
        List<?> refused = result.subList(2, 2 + refusedCount);
        Map<String, Member> now = ClusterMessages.members(result.subList(2 + refusedCount, result.size()));
        synchronized (rooms.lock()) {
            List<Map.Entry<String, Member>> gone = new ArrayList<>();
            for (Map.Entry<String, Member> entry : room.members.entrySet()) {
                if (!now.containsKey(entry.getKey()) && room.local.member(entry.getKey()) == null) {
                    gone.add(entry);
                }
            }
            List<Map.Entry<String, Member>> came = new ArrayList<>();
            for (Map.Entry<String, Member> entry : now.entrySet()) {
                if (!room.members.containsKey(entry.getKey())) {
                    came.add(entry);
                }
            }
            came.sort(Comparator.comparingLong(entry -> entry.getValue().order()));
            long deadline = System.nanoTime() + rooms.presence().toNanos();
            for (Map.Entry<String, Member> entry : gone) {
                // Its server may not have put it back yet (Redis restarted empty): wait one presence.
                now.put(entry.getKey(), entry.getValue());
                room.suspects.putIfAbsent(entry.getKey(), deadline);
            }
            for (Map.Entry<String, Member> entry : came) {
                rooms.channel().notify(room, rooms.messages().peerJoined(subject(room, entry)), entry.getKey());
            }
            room.members.clear();
            room.members.putAll(now);
            room.lastSeq = seq;
            List<Change> kept = room.buffered;
            room.buffered = null;
            kept.forEach(change -> rooms.channel().apply(room, change));
        }
        for (Object id : refused) {
            Peer peer = room.local.member((String) id);
            if (peer != null) {
                LOG.warn("peer {} could not be put back into room {} (full meanwhile): closing its connection",
                        id, room.name());
                peer.outbox().session().close(StatusCode.TRY_AGAIN_LATER,
                        "room full after the servers reconnected: join again later", Callback.NOOP);
            }
        }
        return locals.size() - refusedCount;
    }

    private static Peer subject(SharedRoom room, Map.Entry<String, Member> entry) {
        return new Peer(entry.getKey(), entry.getValue().role(), room.local, entry.getValue().order(), null);
    }
}
