package dev.packetstream.signaling.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What servers send each other on their channels ({@code ps:to:<node>}), one line per field:
 *
 * <pre>
 * J room seq id role node order [id=node|role|order|address ...]   a peer joined (the list: to its own server only)
 * L room seq id role                                       a peer left
 * R id text                                                a relayed message for one peer
 * B room fromId text                                       a room event for the server's peers of the room
 * </pre>
 *
 * {@code text} is the relayed JSON as the recipient gets it (compact, so without raw newlines).
 * J and L come from {@link RedisScripts}; R and B from {@link RedisRooms}.
 */
final class ClusterMessages {
    private ClusterMessages() {
    }

    /** A member of a room as Redis holds it. */
    record Member(String node, String role, long order) {
        static Member parse(String value) {
            int a = value.indexOf('|');
            int b = value.indexOf('|', a + 1);
            int c = value.indexOf('|', b + 1); // then the peer's address, which only Redis needs
            return new Member(value.substring(0, a), value.substring(a + 1, b),
                    Long.parseLong(c < 0 ? value.substring(b + 1) : value.substring(b + 1, c)));
        }
    }

    /** A J or L message. {@code snapshot}: the members before a join, for the joining peer's server. */
    record Change(boolean joined, String room, long seq, String id, Member member, List<String> snapshot) {
    }

    /** {@code id=node|role|order|address} entries (a script's answer) as members by id. */
    static Map<String, Member> members(List<?> entries) {
        Map<String, Member> members = new HashMap<>();
        for (Object entry : entries) {
            String[] kv = ((String) entry).split("=", 2);
            members.put(kv[0], Member.parse(kv[1]));
        }
        return members;
    }

    static String relay(String id, String text) {
        return "R\n" + id + "\n" + text;
    }

    static String roomEvent(String room, String fromId, String text) {
        return "B\n" + room + "\n" + fromId + "\n" + text;
    }

    /** Parses J or L. */
    static Change change(String message) {
        String[] f = message.split("\n");
        boolean joined = f[0].equals("J");
        long seq = Long.parseLong(f[2]);
        if (!joined) {
            return new Change(false, f[1], seq, f[3], new Member(null, f[4], 0), List.of());
        }
        List<String> snapshot = new ArrayList<>();
        for (int i = 7; i < f.length; i++) {
            snapshot.add(f[i]);
        }
        return new Change(true, f[1], seq, f[3], new Member(f[5], f[4], Long.parseLong(f[6])), snapshot);
    }
}
