package dev.packetstream.av;

import dev.packetstream.core.AttachOption;
import dev.packetstream.core.PacketStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A child JVM for {@link CrashRecoveryTest}: records the real-time test pattern to the file named by
 * its first argument and prints {@code muxed <ms>} (media time handed to the muxer) every 100 ms,
 * until it is killed.
 */
public final class RecordingChild {
    private RecordingChild() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        PacketStream stream = new PacketStream("child-recording");
        MultiplexPacketEncoder recorder = MultiplexPacketEncoder.builder(file).build();
        stream.attachSource(MediaCapture.testPattern().size(640, 480).duration(Duration.ofSeconds(30)).build(),
                AttachOption.SYNC_STATE, AttachOption.CLOSE_WITH_STREAM);
        stream.attach(recorder, 10);
        stream.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            System.out.println("muxed " + recorder.lastWrittenUs() / 1000);
            System.out.flush();
            Thread.sleep(100); // a progress report's period, not a synchronisation
        }
        stream.close();
        recorder.close();
    }
}
