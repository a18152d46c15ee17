package dev.packetstream.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.core.PacketStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * libwebrtc's threads are non-daemon: a JVM exits only when every factory is disposed. This runs
 * a child JVM that connects two sessions, streams, closes its runtimes with the sessions still
 * open, and returns from main without System.exit.
 */
class JvmExitTest {

    /** The child: connect, stream, close runtimes with sessions open, return. */
    public static void main(String[] args) throws Exception {
        try (Loopback link = new Loopback("child"); PacketStream out = new PacketStream("child-out")) {
            out.attach(link.a.newSender("cam").video(true).audio(true).build(), 0);
            link.b.newReceiver("remote", MediaKind.VIDEO, MediaKind.AUDIO).start();
            link.b.createDataChannel("events");
            out.start();
            link.connect();
            TestMedia.VideoPainter painter = new TestMedia.VideoPainter(320, 240);
            TestMedia.Tone tone = new TestMedia.Tone(440);
            Pacer.run("child-push", 30, 33_333, n -> {
                out.write(painter.frame(n, -1, n * 33_333));
                out.write(tone.next10ms());
            });
        }
        System.out.println("child: main returns");
    }

    @Test
    void aJvmThatClosesItsRuntimesWithSessionsOpenExitsOnItsOwn() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), JvmExitTest.class.getName())
                .redirectErrorStream(true).start();
        boolean exited = p.waitFor(30, TimeUnit.SECONDS);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!exited) {
            p.destroyForcibly();
        }
        assertThat(exited).as("child JVM exited within 30 s; output:%n%s", output).isTrue();
        assertThat(p.exitValue()).as("child exit code; output:%n%s", output).isZero();
        assertThat(output).contains("child: main returns");
    }
}
