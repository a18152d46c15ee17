package dev.packetstream.av;

import dev.packetstream.core.Retention;
import dev.packetstream.core.media.EncodedAudioPacket;
import dev.packetstream.core.media.RawAudioFrame;
import java.util.Objects;

/**
 * Encodes {@link RawAudioFrame}s (s16le PCM of any rate and channel count) into
 * {@link dev.packetstream.core.media.EncodedAudioPacket}s: Opus ({@code libopus}, 48 kHz, 20 ms
 * frames) or AAC (FFmpeg's {@code aac}, 1024-sample frames). Input is resampled to the encoder's
 * rate and channels and re-chunked to its frame size; timestamps count samples from the first
 * frame's timestamp. Packets carry the codec's extradata (OpusHead, AudioSpecificConfig). Other
 * packets pass by.
 *
 * <h2>Ownership</h2>
 * {@link Retention#BORROWED}: PCM is copied into the resampler during the call. Emitted packets
 * are <em>borrowed</em> over FFmpeg's packet memory: copy what you keep.
 *
 * <h2>Checks</h2>
 * An encoder name missing from this FFmpeg build is refused by the constructor
 * ({@link CodecException}); a rate or channel count the resampler cannot handle fails the stage
 * with a message naming both formats. A closed encoder refuses frames.
 *
 * <h2>Lifecycle and threads</h2>
 * Opens on the first frame. On stream stop it encodes what is buffered (the last frame padded with
 * silence if the encoder needs whole frames), drains, and closes. {@code process} must not run on
 * two threads at once.
 */
public final class AudioPacketEncoder extends EncoderStage<RawAudioFrame, EncodedAudioPacket> {
    private final AudioEncoderSettings settings;
    private final AudioEncoderEngine engine;

    /** @throws CodecException when this FFmpeg build has no encoder of the settings' name */
    public AudioPacketEncoder(String name, AudioEncoderSettings settings) {
        super(name, RawAudioFrame.class);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.engine = new AudioEncoderEngine(name, settings);
    }

    public AudioPacketEncoder(AudioEncoderSettings settings) {
        this("encode-" + settings.codec(), settings);
    }

    public AudioEncoderSettings settings() {
        return settings;
    }

    @Override
    EncoderEngine<RawAudioFrame, EncodedAudioPacket> engine() {
        return engine;
    }
}
