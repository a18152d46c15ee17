/**
 * PacketStream's data plane: packets and their ownership, streams, queues, event loops, branches,
 * stats; the media packet types shared by the adapter modules; the peer-signaling SPI shared by
 * the signaling bridge and both kinds of peer session. Pure Java.
 */
module dev.packetstream.core {
    requires org.slf4j;
    requires org.jctools.core;

    exports dev.packetstream.core;
    exports dev.packetstream.core.media;
    exports dev.packetstream.core.peer;
}
