package dev.packetstream.signaling.internal;

import dev.packetstream.signaling.ErrorCode;
import dev.packetstream.signaling.internal.ClusterMessages.Change;
import dev.packetstream.signaling.internal.ClusterMessages.Member;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What arrives on one server's channel, applied to its copies of the rooms ({@link SharedRoom}):
 * relays and room events written to its own peers, and joins and leaves (J, L) applied in the
 * order Redis numbered them, each with its notice to the server's peers of the room. A joining
 * peer of this server is added to its room when its own J arrives (see {@link RedisRooms}).
 *
 * <h2>Threads</h2>
 * {@link #onMessage} runs on the link's subscribe thread; J and L, {@link #expireSuspects} and the
 * callers of {@link #apply}, {@link #notify} and {@link #dropIfUnused} hold {@code lock}. Relays
 * (R, B) take no lock.
 */
final class ChannelHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelHandler.class);

    private final String node;
    private final ServerMessages messages;
    private final Counters counters;
    private final Object lock;
    private final Map<String, SharedRoom> rooms;
    private final Map<String, Peer> localPeers;
    private final Map<String, PendingJoin> pending;
    private final Runnable rejoinSoon;

    ChannelHandler(String node, ServerMessages messages, Counters counters, Object lock, Map<String, SharedRoom> rooms,
                   Map<String, Peer> localPeers, Map<String, PendingJoin> pending, Runnable rejoinSoon) {
        this.node = node;
        this.messages = messages;
        this.counters = counters;
        this.lock = lock;
        this.rooms = rooms;
        this.localPeers = localPeers;
        this.pending = pending;
        this.rejoinSoon = rejoinSoon;
    }

    /** A message on this server's channel (subscribe thread). */
    void onMessage(String message) {
        switch (message.charAt(0)) {
            case 'R' -> {
                int end = message.indexOf('\n', 2);
                Peer peer = localPeers.get(message.substring(2, end));
                if (peer == null) {
                    counters.rejected(ErrorCode.UNKNOWN_PEER); // left while the message was on its way
                } else {
                    peer.outbox().relay(message.substring(end + 1));
                }
            }
            case 'B' -> {
                int roomEnd = message.indexOf('\n', 2);
                int fromEnd = message.indexOf('\n', roomEnd + 1);
                SharedRoom room = rooms.get(message.substring(2, roomEnd));
                if (room != null) {
                    String from = message.substring(roomEnd + 1, fromEnd);
                    String text = message.substring(fromEnd + 1);
                    for (Peer member : room.local.members()) {
                        if (!member.id().equals(from)) {
                            member.outbox().relay(text);
                        }
                    }
                }
            }
            case 'J', 'L' -> {
                Change change = ClusterMessages.change(message);
                synchronized (lock) {
                    SharedRoom room = rooms.get(change.room());
                    if (room == null && change.joined() && pending.containsKey(change.id())) {
                        room = new SharedRoom(change.room());
                        for (String entry : change.snapshot()) {
                            String[] kv = entry.split("=", 2);
                            room.members.put(kv[0], Member.parse(kv[1]));
                        }
                        room.lastSeq = change.seq() - 1;
                        rooms.put(change.room(), room);
                    }
                    if (room == null) {
                        return; // no peer of this server is in the room any more
                    }
                    if (room.buffered != null) {
                        room.buffered.add(change);
                    } else {
                        apply(room, change);
                    }
                }
            }
            default -> LOG.warn("unknown message from another server: {}", message);
        }
    }

    /** Applies a J or L in order and writes its notice to this server's peers of the room (under the lock). */
    void apply(SharedRoom room, Change change) {
        if (change.seq() <= room.lastSeq) {
            return;
        }
        room.lastSeq = change.seq();
        Peer subject = new Peer(change.id(), change.member().role(), room.local, change.member().order(), null);
        room.suspects.remove(change.id());
        if (change.joined()) {
            boolean known = room.members.put(change.id(), change.member()) != null;
            PendingJoin own = node.equals(change.member().node()) ? pending.remove(change.id()) : null;
            if (own != null) {
                Peer peer = new Peer(change.id(), own.role(), room.local, change.member().order(), own.outbox());
                room.local.add(peer);
                localPeers.put(peer.id(), peer);
                own.peer().complete(peer);
            }
            if (!known) {
                notify(room, messages.peerJoined(subject), change.id());
            }
        } else if (room.local.member(change.id()) != null) {
            // One of ours, presumed dead by the others (this server was cut off): put it back.
            rejoinSoon.run();
        } else if (room.members.remove(change.id()) != null) {
            notify(room, messages.peerLeft(subject), change.id());
            dropIfUnused(room);
        }
    }

    /** Members not put back by their server within a presence period after a re-join: reported left. */
    void expireSuspects() {
        long now = System.nanoTime();
        synchronized (lock) {
            for (SharedRoom room : List.copyOf(rooms.values())) {
                var suspects = room.suspects.entrySet().iterator();
                while (suspects.hasNext()) {
                    var suspect = suspects.next();
                    if (now - suspect.getValue() < 0) {
                        continue;
                    }
                    suspects.remove();
                    Member member = room.members.remove(suspect.getKey());
                    if (member != null) {
                        notify(room, messages.peerLeft(new Peer(suspect.getKey(), member.role(), room.local,
                                member.order(), null)), suspect.getKey());
                    }
                }
                dropIfUnused(room);
            }
        }
    }

    void notify(SharedRoom room, String notice, String exceptId) {
        for (Peer peer : room.local.members()) {
            if (!peer.id().equals(exceptId)) {
                peer.outbox().notice(notice);
            }
        }
    }

    void dropIfUnused(SharedRoom room) {
        if (room.local.size() > 0) {
            return;
        }
        for (PendingJoin entry : pending.values()) {
            if (entry.room().equals(room.name())) {
                return;
            }
        }
        rooms.remove(room.name(), room);
    }
}
