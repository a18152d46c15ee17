package dev.packetstream.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCopyStreamTest {

    /** Reads a file in chunks into ONE reused buffer, lent to the stream as borrowed packets; FINAL at the end. */
    static final class FileReaderSource extends PacketStreamAdapter implements Startable {
        private final Path file;
        private Thread thread;

        FileReaderSource(Path file) {
            super("reader", Retention.BORROWED);
            this.file = file;
        }

        @Override
        public void start() {
            thread = new Thread(() -> {
                byte[] buf = new byte[4096];
                try (InputStream in = Files.newInputStream(file)) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        emit(RawPacket.borrow(buf, 0, n));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                emit(FlagPacket.FINAL);
            }, "reader");
            thread.start();
        }

        @Override
        public void stop() {
            // the reading thread ends by itself after FINAL; stop may run on it, so it does not join
        }
    }

    /** Writes every byte packet to a file; closes it when the stream stops. */
    static final class FileWriterSink extends PacketProcessor {
        private final OutputStream out;

        FileWriterSink(OutputStream out) {
            super("writer");
            this.out = out;
        }

        @Override
        public boolean accepts(Packet p) {
            return p instanceof RawPacket;
        }

        @Override
        public void process(Packet p) {
            try {
                RawPacket r = (RawPacket) p;
                out.write(r.toByteArray());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            emit(p);
        }

        @Override
        protected void onStop() {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void aReaderToWriterStreamCopiesAFileExactlyAndStopsOnFinal(@TempDir Path dir) throws Exception {
        byte[] content = new byte[1_000_003];
        new Random(42).nextBytes(content);
        Path in = Files.write(dir.resolve("in.bin"), content);
        Path outFile = dir.resolve("out.bin");
        try (PacketStream s = new PacketStream("copy")) {
            s.attachSource(new FileReaderSource(in), AttachOption.SYNC_STATE);
            s.attach(new AsyncPacketQueue("q", 64, OverflowPolicy.BLOCK), 0);
            s.attach(new FileWriterSink(Files.newOutputStream(outFile)), 10);
            s.start();
            assertThat(s.awaitState(StreamState.STOPPED, Duration.ofSeconds(30))).isTrue();
        }
        assertThat(Files.readAllBytes(outFile)).isEqualTo(content);
    }
}
