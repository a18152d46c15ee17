/**
 * PacketStream's encoded-media engine on GStreamer's webrtcbin (through gst1-java-core and JNA):
 * runtime, peer sessions, encoded track senders and receivers, live fan-out. Exports its one
 * package; the GStreamer bindings there are package-private.
 */
@SuppressWarnings("requires-automatic") // gst1-java-core and JNA have no descriptors
module dev.packetstream.webrtc.encoded {
    requires transitive dev.packetstream.core;
    requires org.freedesktop.gstreamer;
    requires com.sun.jna;
    requires org.slf4j;

    exports dev.packetstream.webrtc.encoded;
    // JNA calls the package-private callback interfaces' methods (signals, pad probes) reflectively;
    // without this the first callback fails with InaccessibleObjectException (ModulePathTest)
    opens dev.packetstream.webrtc.encoded to com.sun.jna;
}
