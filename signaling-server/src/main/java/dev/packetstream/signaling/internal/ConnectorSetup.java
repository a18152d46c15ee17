package dev.packetstream.signaling.internal;

import dev.packetstream.signaling.SignalingLimits;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds the signaling server's one connector to its Jetty server: HTTP/1.1, inside TLS when a
 * keystore is given, watched by the {@link HttpConnectionGuard}, and under a TCP connection limit.
 * Called once, on the thread building the server.
 */
public final class ConnectorSetup {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorSetup.class);

    private ConnectorSetup() {
    }

    /**
     * Adds the connector (and the connection limit) to {@code jetty}.
     *
     * @param keyStore the TLS keystore, or null for plain HTTP
     * @return the connector, not started
     */
    public static ServerConnector add(Server jetty, String host, int port, Path keyStore, String keyStorePassword,
            HttpConnectionGuard guard, SignalingLimits limits) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector;
        if (keyStore != null) {
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStorePath(keyStore.toString());
            tls.setKeyStorePassword(keyStorePassword);
            http.addCustomizer(new SecureRequestCustomizer(false));
            connector = new ServerConnector(jetty, 1, 1, new SslConnectionFactory(tls, "http/1.1"),
                    new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
        }
        connector.setHost(host);
        connector.setPort(port);
        connector.addBean(guard);
        jetty.addConnector(connector);
        NetworkConnectionLimit tcpLimit = new NetworkConnectionLimit(tcpConnectionLimit(limits), connector);
        tcpLimit.setEndPointIdleTimeout(limits.requestHeaderTimeout().toMillis());
        jetty.addBean(tcpLimit);
        return connector;
    }

    /**
     * TCP connections the connector accepts at once: the WebSocket limit plus room for page and
     * health requests, and below the process's file descriptor limit when the JVM knows it. At this
     * limit Jetty stops accepting until connections close (the kernel queues the rest).
     */
    private static int tcpConnectionLimit(SignalingLimits limits) {
        long wanted = (long) limits.maxConnections() + 256;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
            long descriptors = os.getMaxFileDescriptorCount() - 64;
            if (descriptors > 0 && descriptors < wanted) {
                LOG.warn("the process may open {} files: accepting at most {} TCP connections, fewer than"
                        + " maxConnections {} + 256; raise the limit (ulimit -n) or lower maxConnections",
                        descriptors + 64, descriptors, limits.maxConnections());
                wanted = descriptors;
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, wanted);
    }
}
