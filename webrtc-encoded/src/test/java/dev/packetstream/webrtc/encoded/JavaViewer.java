package dev.packetstream.webrtc.encoded;

import dev.packetstream.core.peer.InMemorySignaller;
import com.sun.jna.Callback;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import dev.packetstream.core.AttachOption;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.media.AudioCodec;
import dev.packetstream.core.media.EncodedAudioPacket;
import dev.packetstream.core.media.EncodedVideoPacket;
import dev.packetstream.core.media.VideoCodec;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.glib.Natives;

/**
 * A viewer of a fan-out made of two Java sessions in one runtime: a sender session (the viewer's
 * side of the relay) and a receiver session (standing in for the viewer's browser), joined by an
 * {@link InMemorySignaller}. Counts what the receiver gets and when its first video packet came.
 */
final class JavaViewer implements AutoCloseable {
    interface BlockProbe extends Callback {
        int invoke(Pointer pad, Pointer info, Pointer data);
    }

    final EncodedPeerSession tx;
    final EncodedPeerSession rx;
    final EncodedTrackSender sender;
    final EncodedTrackReceiver receiver;
    final PacketStream in;
    final AtomicLong video = new AtomicLong();
    final AtomicLong keyframes = new AtomicLong();
    final AtomicLong audio = new AtomicLong();
    final CompletableFuture<EncodedVideoPacket> firstVideo = new CompletableFuture<>();
    volatile long firstVideoNanos;
    private BlockProbe block;

    JavaViewer(EncodedRuntime gst, String name, VideoCodec codec, int queueLimit) {
        InMemorySignaller.Pair link = InMemorySignaller.pair();
        tx = gst.newSession(name + "-tx", JavaLoopbackTest.LOOPBACK, link.a());
        rx = gst.newSession(name + "-rx", JavaLoopbackTest.LOOPBACK, link.b());
        sender = tx.newSender(name).video(codec).audio(AudioCodec.OPUS).queueLimit(queueLimit).build();
        receiver = rx.newReceiver(name + "-in");
        in = new PacketStream(name + "-in");
        in.attachSource(receiver, AttachOption.SYNC_STATE);
        in.addSink(p -> {
            if (p instanceof EncodedVideoPacket v) {
                if (video.getAndIncrement() == 0) {
                    firstVideoNanos = System.nanoTime();
                    firstVideo.complete(v.copy());
                }
                if (v.isKeyframe()) {
                    keyframes.incrementAndGet();
                }
            } else if (p instanceof EncodedAudioPacket) {
                audio.incrementAndGet();
            }
        });
        in.start();
    }

    /** Blocks the viewer's video queue (as a peer whose network stalls would): its app source's output stops. */
    void stallVideo() {
        Element src = tx.pipeline().getElementByName(sender.name() + "-video-src");
        Pointer pad = tx.libs().gst().gst_element_get_static_pad(Natives.getRawPointer(src), "src");
        block = (p, info, data) -> 1; // GST_PAD_PROBE_OK: stay blocked
        NativeLong id = tx.libs().gst().gst_pad_add_probe(pad, 2 | 16, block, null, null); // BLOCK | BUFFER
        stallId = id;
        stallPad = pad;
    }

    private NativeLong stallId;
    private Pointer stallPad;

    void resumeVideo() {
        tx.libs().gst().gst_pad_remove_probe(stallPad, stallId);
        tx.libs().gst().gst_object_unref(stallPad);
    }

    @Override
    public void close() {
        in.close();
        tx.close();
        rx.close();
    }
}
