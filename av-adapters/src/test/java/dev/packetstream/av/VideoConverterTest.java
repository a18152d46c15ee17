package dev.packetstream.av;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.core.PacketStream;
import dev.packetstream.core.media.RawVideoFrame;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class VideoConverterTest {

    private static List<RawVideoFrame> run(VideoConverter converter, dev.packetstream.core.Packet... in) {
        List<RawVideoFrame> out = new CopyOnWriteArrayList<>();
        try (PacketStream stream = new PacketStream("convert")) {
            stream.attach(converter, 10);
            stream.addSink("keep", p -> out.add(((RawVideoFrame) p).copy()));
            stream.start();
            for (dev.packetstream.core.Packet p : in) {
                stream.write(p);
            }
            stream.stop();
            assertThat(stream.error()).isNull();
        }
        return out;
    }

    @Test
    void packedBgrIsConvertedToI420OfTheRequestedSizeKeepingBrightness() {
        int w = 64;
        int h = 48;
        ByteBuffer bgr = ByteBuffer.allocateDirect(w * h * 3);
        for (int i = 0; i < w * h; i++) {
            bgr.put((byte) 255).put((byte) 255).put((byte) 255); // white
        }
        bgr.flip();
        try (VideoConverter converter = new VideoConverter(32, 24)) {
            List<RawVideoFrame> out = run(converter, PixelFrame.borrow(PixelFormat.BGR24, w, h,
                    new ByteBuffer[] {bgr}, new int[] {w * 3}, 1234));
            assertThat(out).hasSize(1);
            RawVideoFrame f = out.get(0);
            assertThat(f.width()).isEqualTo(32);
            assertThat(f.height()).isEqualTo(24);
            assertThat(f.timestampUs()).isEqualTo(1234);
            assertThat(f.lumaAt(10, 10)).isGreaterThan(230);
            assertThat(converter.converted()).isEqualTo(1);
        }
    }

    @Test
    void i420InHeapMemoryIsScaledToTheRequestedSize() {
        RawVideoFrame big = RawVideoFrame.allocate(640, 480, 5);
        for (int i = 0; i < 640 * 480; i++) {
            big.dataY().put(i, (byte) 100);
        }
        try (VideoConverter converter = new VideoConverter(320, 180)) {
            List<RawVideoFrame> out = run(converter, big);
            assertThat(out.get(0).width()).isEqualTo(320);
            assertThat(out.get(0).height()).isEqualTo(180);
            assertThat(out.get(0).lumaAt(100, 100)).isBetween(98, 102);
            assertThat(converter.stagingCopies()).isEqualTo(3);
        }
    }

    @Test
    void i420OfTheRequestedSizePassesThroughWithoutACopy() {
        RawVideoFrame f = RawVideoFrame.allocate(320, 240, 9);
        try (VideoConverter converter = new VideoConverter(320, 240)) {
            List<RawVideoFrame> out = run(converter, f);
            assertThat(out).hasSize(1);
            assertThat(converter.passedThrough()).isEqualTo(1);
            assertThat(converter.converted()).isZero();
        }
    }
}
