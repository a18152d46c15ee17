/**
 * The signaling server (Jetty 12 WebSocket rooms, relay, limits, tokens, health, browser pages) and
 * its Java client. Exports {@code dev.packetstream.signaling} (the API) and
 * {@code dev.packetstream.signaling.websocket} (the listeners Jetty must reach, nothing users can
 * build); {@code .internal} (the server's machinery) and the pages' folder
 * {@code dev/packetstream/signaling/web} stay inside the module.
 */
@SuppressWarnings("requires-automatic") // jedis
module dev.packetstream.signaling {
    requires transitive dev.packetstream.core; // IceCandidate in the client's API
    requires transitive com.fasterxml.jackson.databind; // JsonNode in SignalingListener
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.websocket.server;
    requires transitive org.eclipse.jetty.websocket.client; // SignalingClient.Builder takes a WebSocketClient
    requires org.slf4j;
    requires redis.clients.jedis; // an automatic module (jedis 6 has no descriptor)
    requires java.management;
    requires jdk.management; // com.sun.management: the process's file descriptor limit

    exports dev.packetstream.signaling;
    // Jetty calls WebSocket listeners through MethodHandles.publicLookup(), which reaches only
    // unconditionally exported packages: the two listeners live here, each built only from an
    // endpoint of .internal (see its package documentation).
    exports dev.packetstream.signaling.websocket;
}
