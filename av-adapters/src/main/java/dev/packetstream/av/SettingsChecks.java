package dev.packetstream.av;

/**
 * The argument checks the settings builders share ({@link VideoEncoderSettings},
 * {@link AudioEncoderSettings}, {@link MediaCapture}), so that one value is refused with one message
 * wherever it is given.
 */
final class SettingsChecks {
    private SettingsChecks() {
    }

    /** A bitrate in bit/s: positive. */
    static long bitrate(long bitsPerSecond) {
        if (bitsPerSecond <= 0) {
            throw new IllegalArgumentException("bitrate must be positive, was " + bitsPerSecond);
        }
        return bitsPerSecond;
    }

    /** Frames per second: 1..240. */
    static int fps(int fps) {
        return inRange("fps", fps, 1, 240, "");
    }

    /** {@code value} within {@code min..max}, else "{@code what} must be min..max{@code unit}, was value". */
    static int inRange(String what, int value, int min, int max, String unit) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " must be " + min + ".." + max + unit + ", was " + value);
        }
        return value;
    }
}
