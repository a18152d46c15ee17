package dev.packetstream.samples.common;

import picocli.CommandLine.Option;

/** The options every sample shares: where the embedded signaling server listens, and the room. */
public final class ServerOptions {
    @Option(names = "--port", defaultValue = "8080",
            description = "Port of the embedded signaling server and its pages (0: any free port). Default: ${DEFAULT-VALUE}.")
    public int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1",
            description = "Address to listen on; 0.0.0.0 lets other machines open the page. Default: ${DEFAULT-VALUE}.")
    public String bind;

    @Option(names = "--room", defaultValue = "demo", description = "Signaling room. Default: ${DEFAULT-VALUE}.")
    public String room;

    @Option(names = "--max-peers", defaultValue = "256",
            description = "Peers one room may hold (viewers, publishers and the sample itself). Default: ${DEFAULT-VALUE}.")
    public int maxPeers = 256;

    @Option(names = "--max-connections-per-address", defaultValue = "64",
            description = "WebSocket connections the signaling server accepts at once from one IP address; more are refused "
                    + "with HTTP 429. The default keeps one machine from taking every connection of a server others can reach; "
                    + "raise it only when many viewers really share one address (a load test on one machine, viewers behind one "
                    + "NAT). Default: ${DEFAULT-VALUE}.")
    public int maxConnectionsPerAddress = 64;

    @Option(names = "--loopback",
            description = "WebRTC over 127.0.0.1 only (no other interfaces): for tests and single-machine demos.")
    public boolean loopback;

    /** Options for a server on {@code port} in {@code room} (tests). */
    public static ServerOptions of(int port, String room, boolean loopback) {
        ServerOptions o = new ServerOptions();
        o.port = port;
        o.bind = "127.0.0.1";
        o.room = room;
        o.loopback = loopback;
        return o;
    }
}
