/**
 * The bridge between the signaling client and the peer sessions of either engine: one room
 * connection, the directory of its peers, a {@code Signaller} per peer. Exports its one package.
 */
module dev.packetstream.signaling.bridge {
    requires transitive dev.packetstream.core;
    requires transitive dev.packetstream.signaling;
    requires org.slf4j;

    exports dev.packetstream.signaling.bridge;
}
