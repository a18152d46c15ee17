package dev.packetstream.webrtc.encoded.modulepath;

import static java.util.concurrent.TimeUnit.SECONDS;

import dev.packetstream.core.peer.InMemorySignaller;
import dev.packetstream.webrtc.encoded.EncodedPeerSession;
import dev.packetstream.webrtc.encoded.EncodedRuntime;
import dev.packetstream.webrtc.encoded.EncodedSessionConfig;
import dev.packetstream.webrtc.encoded.MediaKind;

/**
 * Run by {@code ModulePathTest} in a JVM where {@code dev.packetstream.webrtc.encoded} is a named
 * module on the module path and this class is on the class path (in a package of its own: the
 * module's package cannot be split onto the class path). Two loopback sessions negotiate: the offer
 * and the answer come from webrtcbin's signals and promises, which call back into the module through
 * JNA. (Without media the sessions never report connected, on the class path either.)
 */
public final class NegotiateOnModulePath {
    private NegotiateOnModulePath() {
    }

    public static void main(String[] args) throws Exception {
        Module module = EncodedRuntime.class.getModule();
        System.out.println("MODULE " + (module.isNamed() ? module.getName() : "unnamed"));
        EncodedSessionConfig loopback = EncodedSessionConfig.builder().loopbackOnly(true).build();
        try (EncodedRuntime gst = new EncodedRuntime("module-path")) {
            InMemorySignaller.Pair link = InMemorySignaller.pair();
            EncodedPeerSession offerer = gst.newSession("offerer", loopback, link.a());
            gst.newSession("answerer", loopback, link.b()); // answers by itself
            offerer.newReceiver("remote", MediaKind.VIDEO, MediaKind.AUDIO); // recvonly: no media needed
            offerer.negotiate().get(30, SECONDS);
            System.out.println("NEGOTIATED");
        }
        System.out.println("CLOSED");
    }
}
