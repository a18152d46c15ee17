package dev.packetstream.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.packetstream.core.PacketStream;
import dev.packetstream.core.media.RawVideoFrame;
import dev.packetstream.samples.common.ClockStamp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClockStampTest {

    /** Reads the barcode the way the measurement's viewer-page script does: the centre of each block. */
    static long read(RawVideoFrame f) {
        long ms = 0;
        int perRow = ClockStamp.BITS / ClockStamp.ROWS;
        for (int bit = 0; bit < ClockStamp.BITS; bit++) {
            int x = (bit % perRow) * ClockStamp.BLOCK + ClockStamp.BLOCK / 2;
            int y = (bit / perRow) * ClockStamp.BLOCK + ClockStamp.BLOCK / 2;
            if (f.lumaAt(x, y) > 128) {
                ms |= 1L << bit;
            }
        }
        return ms;
    }

    @Test
    void aStampedCopyCarriesTheWallClockAndTheOriginalIsUntouched() {
        List<RawVideoFrame> out = new ArrayList<>();
        RawVideoFrame original = RawVideoFrame.allocate(640, 360, 0);
        long before = System.currentTimeMillis();
        try (PacketStream s = new PacketStream("stamp-unit")) {
            s.attach(new ClockStamp("stamp"), 0);
            s.addSink("out", p -> out.add(((RawVideoFrame) p).copy()));
            s.start();
            s.write(original);
        }
        long after = System.currentTimeMillis();
        assertThat(read(out.get(0))).isBetween(before, after);
        assertThat(original.lumaAt(8, 8)).isZero();
    }
}
