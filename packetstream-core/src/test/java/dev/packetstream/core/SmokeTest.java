package dev.packetstream.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void aPacketWrittenIntoAnActiveStreamReachesItsSink() {
        List<String> seen = new ArrayList<>();
        PacketStream s = new PacketStream("smoke");
        s.addSink("collect", p -> seen.add(new String(((RawPacket) p).toByteArray())));
        s.start();
        s.write(RawPacket.borrow("hello".getBytes()));
        s.close();
        assertThat(seen).containsExactly("hello");
        assertThat(Ownership.CHECKED).isTrue();
    }
}
