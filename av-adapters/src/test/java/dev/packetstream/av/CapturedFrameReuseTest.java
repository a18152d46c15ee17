package dev.packetstream.av;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.core.AttachOption;
import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketExpiredException;
import dev.packetstream.core.PacketProcessor;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.Retention;
import dev.packetstream.core.StreamState;
import dev.packetstream.core.media.RawVideoFrame;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The grabber overwrites its frame on every grab: checked mode must catch a stage that keeps one. */
class CapturedFrameReuseTest {

    /** Keeps the last frame without copying it and reads it on the next call: the bug checked mode exists for. */
    static final class Hoarder extends PacketProcessor {
        private RawVideoFrame kept;

        Hoarder() {
            super("hoarder", Retention.BORROWED);
        }

        @Override
        public void process(Packet packet) {
            if (packet instanceof RawVideoFrame f) {
                if (kept != null) {
                    kept.lumaAt(0, 0);
                }
                kept = f;
            }
            emit(packet);
        }
    }

    /** Keeps copies: legal. */
    static final class Copier extends PacketProcessor {
        private RawVideoFrame kept;
        final AtomicInteger reads = new AtomicInteger();

        Copier() {
            super("copier", Retention.CLONED);
        }

        @Override
        public void process(Packet packet) {
            if (packet instanceof RawVideoFrame f) {
                if (kept != null) {
                    kept.lumaAt(0, 0);
                    reads.incrementAndGet();
                }
                kept = f.copy();
            }
            emit(packet);
        }
    }

    @Test
    void capturedFramesAreBorrowedAndAStageThatKeepsOneIsNamedByCheckedMode() throws Exception {
        try (PacketStream stream = new PacketStream("capture-reuse")) {
            MediaCapture capture = MediaCapture.testPattern().size(320, 240).audio(false).pacing(Pacing.AS_FAST_AS_POSSIBLE)
                    .duration(Duration.ofSeconds(1)).build();
            stream.attachSource(capture, AttachOption.SYNC_STATE, AttachOption.CLOSE_WITH_STREAM);
            stream.attach(new Hoarder(), 10);
            stream.addSink("check-borrowed", p -> assertThat(p.isBorrowed()).isTrue());
            stream.start();
            stream.awaitState(StreamState.CLOSED, Duration.ofSeconds(20));
            assertThat(stream.error()).isNotNull();
            assertThat(stream.error().stage()).isEqualTo("hoarder");
            assertThat(stream.error().getCause()).isInstanceOf(PacketExpiredException.class)
                    .hasMessageContaining("hoarder").hasMessageContaining("copy()");
        }
    }

    @Test
    void aStageThatCopiesCapturedFramesMayKeepThem() throws Exception {
        Copier copier = new Copier();
        try (PacketStream stream = new PacketStream("capture-copy")) {
            stream.attachSource(MediaCapture.testPattern().size(320, 240).audio(false).pacing(Pacing.AS_FAST_AS_POSSIBLE)
                    .duration(Duration.ofSeconds(1)).build(), AttachOption.SYNC_STATE, AttachOption.CLOSE_WITH_STREAM);
            stream.attach(copier, 10);
            stream.start();
            assertThat(stream.awaitState(StreamState.STOPPED, Duration.ofSeconds(20))).isTrue();
            assertThat(stream.error()).isNull();
        }
        assertThat(copier.reads.get()).isEqualTo(29);
    }
}
