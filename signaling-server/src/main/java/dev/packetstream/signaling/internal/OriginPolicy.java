package dev.packetstream.signaling.internal;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which browser Origins may open a connection.
 *
 * <ul>
 *   <li>No Origin header (a non-browser client such as {@code SignalingClient}): allowed; Origin
 *       protects browsers' users from other sites, it does not authenticate (tokens do).</li>
 *   <li>The server's own origin (the pages it serves): always allowed.</li>
 *   <li>Otherwise the Origin must be in the allowed set ({@code scheme://host[:port]}, compared
 *       case-insensitively), or the set must contain {@code *}.</li>
 * </ul>
 * Immutable.
 */
public final class OriginPolicy {
    private final Set<String> allowed;

    public OriginPolicy(Set<String> allowed) {
        this.allowed = allowed.stream().map(OriginPolicy::normalize).collect(Collectors.toUnmodifiableSet());
    }

    public boolean allows(String origin, String serverName, int serverPort) {
        if (origin == null) {
            return true;
        }
        String normalized = normalize(origin);
        if (allowed.contains("*") || allowed.contains(normalized)) {
            return true;
        }
        try {
            URI uri = URI.create(normalized);
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
            return uri.getHost() != null && uri.getHost().equalsIgnoreCase(serverName) && port == serverPort;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String normalize(String origin) {
        String lower = origin.trim().toLowerCase(Locale.ROOT);
        return lower.endsWith("/") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
