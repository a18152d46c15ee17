/**
 * PacketStream's libwebrtc engine (through webrtc-java): peer sessions, track senders and receivers,
 * data channels. Exports its one package; its helpers there are package-private.
 *
 * <p>On the module path, webrtc-java's native library jar ({@code webrtc-java-*-linux-x86_64.jar},
 * the automatic module {@code webrtc.linux.x86_64}) is required by nobody: add it with
 * {@code --add-modules webrtc.linux.x86_64} (webrtc-java finds its library as a resource there).
 */
module dev.packetstream.webrtc {
    requires transitive dev.packetstream.core;
    requires webrtc.java;
    requires org.slf4j;

    exports dev.packetstream.webrtc;
}
