package dev.packetstream.core.media;

/** Video codecs the SDK knows by name. */
public enum VideoCodec {
    H264("video/H264"),
    VP8("video/VP8"),
    VP9("video/VP9"),
    AV1("video/AV1");

    private final String mimeType;

    VideoCodec(String mimeType) {
        this.mimeType = mimeType;
    }

    /** The codec's MIME type as WebRTC names it, e.g. {@code video/VP8}. */
    public String mimeType() {
        return mimeType;
    }
}
