package dev.packetstream.core.media;

/** Audio codecs the SDK knows by name. */
public enum AudioCodec {
    OPUS("audio/opus"),
    AAC("audio/aac"),
    PCM_S16LE("audio/L16");

    private final String mimeType;

    AudioCodec(String mimeType) {
        this.mimeType = mimeType;
    }

    /** The codec's MIME type. */
    public String mimeType() {
        return mimeType;
    }
}
