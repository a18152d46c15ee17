package dev.packetstream.webrtc.encoded;

/**
 * GStreamer, or one of the plugins this module needs, is not installed. The message names the
 * Debian packages to install.
 */
public final class GstMissingException extends EncodedRtcException {
    /** The Debian packages that provide everything this module loads. */
    public static final String DEBIAN_PACKAGES = "gstreamer1.0-plugins-base gstreamer1.0-plugins-good "
            + "gstreamer1.0-plugins-bad gstreamer1.0-nice";

    GstMissingException(String what, Throwable cause) {
        super(what + ". Install GStreamer 1.22 or later with its WebRTC plugins: on Debian/Ubuntu `apt-get install -y "
                + DEBIAN_PACKAGES + "`", cause);
    }
}
