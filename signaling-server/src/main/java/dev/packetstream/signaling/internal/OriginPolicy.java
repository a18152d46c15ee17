package dev.packetstream.signaling.internal;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which browser Origins may open a connection.
 *
 * <ul>
 *   <li>No Origin header (a non-browser client such as {@code SignalingClient}): allowed; Origin
 *       protects browsers' users from other sites, it does not authenticate (tokens do).</li>
 *   <li>More than one Origin header: refused (which one the browser meant is unknowable).</li>
 *   <li>The configured origins ({@code scheme://host[:port]}, compared case-insensitively), or any
 *       when the set contains {@code *}.</li>
 *   <li>The server's own pages when reached by an address that cannot be another site's: an IP
 *       literal of this machine that the server listens on, or {@code localhost} when it listens on
 *       loopback, with the server's scheme and port. Origins naming the server by a DNS name must
 *       be configured: the Host header is never trusted, since a DNS-rebinding page sends
 *       {@code Host} and {@code Origin} that agree with each other.</li>
 * </ul>
 * Immutable.
 */
public final class OriginPolicy {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final Set<String> allowed;
    private final InetAddress bind;

    /**
     * @param allowed     the configured origins ({@code *} for any)
     * @param bindAddress the address the server listens on (a wildcard means every local address)
     */
    public OriginPolicy(Set<String> allowed, String bindAddress) {
        this.allowed = allowed.stream().map(OriginPolicy::normalize).collect(Collectors.toUnmodifiableSet());
        try {
            this.bind = InetAddress.getByName(bindAddress);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bind address " + bindAddress + " does not resolve", e);
        }
    }

    /**
     * @param origins the request's Origin header values (empty when it has none)
     * @return null if allowed, otherwise why not (for the 403 response)
     */
    public String refusal(List<String> origins, boolean secure, int serverPort) {
        if (origins.isEmpty()) {
            return null;
        }
        if (origins.size() > 1) {
            return "the request has " + origins.size() + " Origin headers: send exactly one";
        }
        String origin = origins.get(0);
        String normalized = normalize(origin);
        if (allowed.contains("*") || allowed.contains(normalized) || isOwn(normalized, secure, serverPort)) {
            return null;
        }
        return "Origin " + origin + " is not allowed: add it to the server's allowed origins (--allowed-origins)";
    }

    private boolean isOwn(String origin, boolean secure, int serverPort) {
        URI uri;
        try {
            uri = URI.create(origin);
        } catch (IllegalArgumentException e) {
            return false;
        }
        String scheme = secure ? "https" : "http";
        String host = uri.getHost();
        if (!scheme.equals(uri.getScheme()) || host == null || uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
            return false;
        }
        int port = uri.getPort() != -1 ? uri.getPort() : secure ? 443 : 80;
        if (port != serverPort) {
            return false;
        }
        if (host.equals("localhost")) {
            return bind.isAnyLocalAddress() || bind.isLoopbackAddress();
        }
        InetAddress literal = literal(host);
        if (literal == null) {
            return false;
        }
        if (!bind.isAnyLocalAddress()) {
            return literal.equals(bind);
        }
        try {
            return literal.isLoopbackAddress() || NetworkInterface.getByInetAddress(literal) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    /** The address an IP literal names (never a DNS lookup), or null for a name. */
    private static InetAddress literal(String host) {
        boolean v6 = host.startsWith("[") && host.endsWith("]") && host.matches("\\[[0-9a-fA-F:.]+]");
        if (!v6 && !IPV4.matcher(host).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(v6 ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static String normalize(String origin) {
        String lower = origin.trim().toLowerCase(Locale.ROOT);
        return lower.endsWith("/") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
