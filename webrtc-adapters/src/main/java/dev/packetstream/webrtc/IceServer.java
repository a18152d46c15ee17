package dev.packetstream.webrtc;

import java.util.List;

/**
 * A STUN or TURN server: its URLs ({@code stun:host:3478}, {@code turn:host:3478?transport=udp},
 * {@code turns:...}) and, for TURN, the username and credential.
 */
public record IceServer(List<String> urls, String username, String credential) {
    public IceServer {
        if (urls == null || urls.isEmpty()) {
            throw new IllegalArgumentException("an ICE server needs at least one URL");
        }
        for (String u : urls) {
            if (!(u.startsWith("stun:") || u.startsWith("stuns:") || u.startsWith("turn:") || u.startsWith("turns:"))) {
                throw new IllegalArgumentException("ICE server URL '" + u + "' must start with stun:, stuns:, turn: or turns:");
            }
            if (u.startsWith("turn") && (username == null || credential == null)) {
                throw new IllegalArgumentException("TURN server '" + u + "' needs a username and a credential");
            }
        }
        urls = List.copyOf(urls);
    }

    /** A STUN server. */
    public static IceServer stun(String url) {
        return new IceServer(List.of(url), null, null);
    }

    /** A TURN server with long-term credentials. */
    public static IceServer turn(String url, String username, String credential) {
        return new IceServer(List.of(url), username, credential);
    }

    @Override
    public String toString() {
        return "IceServer" + urls + (username == null ? "" : " user " + username); // never the credential
    }
}
