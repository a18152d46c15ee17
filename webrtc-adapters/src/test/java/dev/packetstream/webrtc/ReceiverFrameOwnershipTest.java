package dev.packetstream.webrtc;

import dev.packetstream.core.peer.InMemorySignaller;
import static org.assertj.core.api.Assertions.assertThat;

import dev.onvoid.webrtc.media.video.I420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.VideoFrameBuffer;
import dev.packetstream.core.AttachOption;
import dev.packetstream.core.Packet;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.Retention;
import dev.packetstream.core.media.RawVideoFrame;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What a receiver wraps is what it frees: a frame whose buffer is not I420 (what a hardware
 * decoder hands out) is converted, and the packet keeps the converted planes alive until its last
 * reference is released.
 */
class ReceiverFrameOwnershipTest {

    @Test
    void aConvertedNonI420FrameStaysValidUntilTheLastReferenceIsReleased() {
        InMemorySignaller.Pair link = InMemorySignaller.pair();
        TrackedI420 converted = new TrackedI420(4, 2, (byte) 77);
        NonI420 original = new NonI420(converted);
        AtomicReference<Packet> kept = new AtomicReference<>();
        try (RtcRuntime rtc = new RtcRuntime("ownership");
             PacketStream in = new PacketStream("from-peer")) {
            PeerSession session = rtc.newSession("s", PeerSessionConfig.loopback(), link.a());
            WebRtcTrackReceiver receiver = session.newReceiver("remote");
            in.attachSource(receiver, AttachOption.SYNC_STATE);
            in.addSink("keeps", p -> kept.set(p.retain()), Retention.RETAINED);
            in.start();

            receiver.onVideoFrame(new VideoFrame(original, 1_000_000));

            RawVideoFrame frame = (RawVideoFrame) kept.get();
            assertThat(frame).isNotNull();
            assertThat(converted.refs.get()).as("converted planes, while a stage holds the frame").isEqualTo(1);
            assertThat(frame.width()).isEqualTo(4);
            assertThat(frame.dataY().get(0)).isEqualTo((byte) 77);
            assertThat(original.refs.get()).as("the frame it was converted from is not needed").isZero();

            frame.release();
            assertThat(converted.refs.get()).as("converted planes, after the last release").isZero();
            assertThat(original.refs.get()).isZero();
            assertThat(converted.overReleased.get() + original.overReleased.get()).as("releases past zero").isZero();
        }
    }

    /** Counts references, one when made, and releases past zero. */
    private abstract static class Counted {
        final AtomicInteger refs = new AtomicInteger(1);
        final AtomicInteger overReleased = new AtomicInteger();

        public void retain() {
            refs.incrementAndGet();
        }

        public void release() {
            if (refs.decrementAndGet() < 0) {
                overReleased.incrementAndGet();
            }
        }
    }

    /** A buffer in some other format: converting it makes a new I420 buffer, as libwebrtc's do. */
    private static final class NonI420 extends Counted implements VideoFrameBuffer {
        private final TrackedI420 conversion;

        NonI420(TrackedI420 conversion) {
            this.conversion = conversion;
        }

        @Override
        public int getWidth() {
            return conversion.getWidth();
        }

        @Override
        public int getHeight() {
            return conversion.getHeight();
        }

        @Override
        public I420Buffer toI420() {
            return conversion;
        }

        @Override
        public VideoFrameBuffer cropAndScale(int cropX, int cropY, int cropWidth, int cropHeight, int scaleWidth, int scaleHeight) {
            throw new UnsupportedOperationException();
        }
    }

    /** An I420 buffer that counts its references. */
    private static final class TrackedI420 extends Counted implements I420Buffer {
        private final int width;
        private final int height;
        private final ByteBuffer y;
        private final ByteBuffer u;
        private final ByteBuffer v;

        TrackedI420(int width, int height, byte fill) {
            this.width = width;
            this.height = height;
            this.y = filled(width * height, fill);
            this.u = filled(width * height / 4, fill);
            this.v = filled(width * height / 4, fill);
        }

        private static ByteBuffer filled(int size, byte fill) {
            ByteBuffer b = ByteBuffer.allocateDirect(size);
            for (int i = 0; i < size; i++) {
                b.put(i, fill);
            }
            return b;
        }

        @Override
        public ByteBuffer getDataY() {
            return y;
        }

        @Override
        public ByteBuffer getDataU() {
            return u;
        }

        @Override
        public ByteBuffer getDataV() {
            return v;
        }

        @Override
        public int getStrideY() {
            return width;
        }

        @Override
        public int getStrideU() {
            return width / 2;
        }

        @Override
        public int getStrideV() {
            return width / 2;
        }

        @Override
        public int getWidth() {
            return width;
        }

        @Override
        public int getHeight() {
            return height;
        }

        @Override
        public I420Buffer toI420() {
            return this;
        }

        @Override
        public VideoFrameBuffer cropAndScale(int cropX, int cropY, int cropWidth, int cropHeight, int scaleWidth, int scaleHeight) {
            throw new UnsupportedOperationException();
        }
    }
}
