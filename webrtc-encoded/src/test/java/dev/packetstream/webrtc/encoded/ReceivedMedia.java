package dev.packetstream.webrtc.encoded;

import dev.packetstream.core.AttachOption;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.media.EncodedAudioPacket;
import dev.packetstream.core.media.EncodedVideoPacket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A started stream from a receiver that keeps what arrives, video and audio apart. Thread safe. */
final class ReceivedMedia implements AutoCloseable {
    final List<EncodedVideoPacket> video = new CopyOnWriteArrayList<>();
    final List<EncodedAudioPacket> audio = new CopyOnWriteArrayList<>();
    private final PacketStream in;

    ReceivedMedia(String streamName, EncodedTrackReceiver receiver) {
        in = new PacketStream(streamName);
        in.attachSource(receiver, AttachOption.SYNC_STATE);
        in.addSink(p -> {
            if (p instanceof EncodedVideoPacket v) {
                video.add(v);
            } else if (p instanceof EncodedAudioPacket a) {
                audio.add(a);
            }
        });
        in.start();
    }

    @Override
    public void close() {
        in.close();
    }
}
