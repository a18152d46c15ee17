package dev.packetstream.webrtc.encoded;

import dev.packetstream.av.AudioEncoderSettings;
import dev.packetstream.av.AudioPacketEncoder;
import dev.packetstream.av.MediaCapture;
import dev.packetstream.av.ParameterSets;
import dev.packetstream.av.VideoEncoderSettings;
import dev.packetstream.av.VideoPacketEncoder;
import dev.packetstream.core.AttachOption;
import dev.packetstream.core.PacketProcessor;
import dev.packetstream.core.PacketStream;
import dev.packetstream.core.media.AudioCodec;
import dev.packetstream.core.media.VideoCodec;

/**
 * An encoded test source: av-adapters' test pattern (moving picture + tone) encoded once by
 * VideoPacketEncoder and AudioPacketEncoder (Opus), emitting EncodedVideoPacket / EncodedAudioPacket
 * into the processors the test attaches.
 */
final class TestSource implements AutoCloseable {
    final PacketStream stream;
    final VideoPacketEncoder video;
    final AudioPacketEncoder audio;
    final int width;
    final int height;

    TestSource(String name, VideoCodec codec, int width, int height) {
        this(name, codec, width, height, 60);
    }

    /** {@code keyframeInterval} in frames (30 fps). */
    TestSource(String name, VideoCodec codec, int width, int height, int keyframeInterval) {
        this(name, codec, width, height, keyframeInterval, 440);
    }

    /** {@code toneHz}: the test tone; 441 Hz repeats its 20 ms Opus frames only once a second. */
    TestSource(String name, VideoCodec codec, int width, int height, int keyframeInterval, int toneHz) {
        this.width = width;
        this.height = height;
        stream = new PacketStream(name);
        MediaCapture capture = MediaCapture.testPattern().size(width, height).fps(30).audio(true).toneHz(toneHz).build();
        video = new VideoPacketEncoder(VideoEncoderSettings.builder(codec).bitrate(1_000_000).fps(30).keyframeInterval(keyframeInterval)
                .parameterSets(ParameterSets.IN_BAND).build());
        audio = new AudioPacketEncoder(AudioEncoderSettings.builder(AudioCodec.OPUS).bitrate(64_000).sampleRate(48_000)
                .channels(2).build());
        stream.attachSource(capture, AttachOption.SYNC_STATE, AttachOption.CLOSE_WITH_STREAM);
        stream.attach(video, 10, AttachOption.CLOSE_WITH_STREAM);
        stream.attach(audio, 11, AttachOption.CLOSE_WITH_STREAM);
    }

    TestSource then(PacketProcessor p, int order) {
        stream.attach(p, order);
        return this;
    }

    TestSource start() {
        stream.start();
        return this;
    }

    @Override
    public void close() {
        stream.close();
    }
}
