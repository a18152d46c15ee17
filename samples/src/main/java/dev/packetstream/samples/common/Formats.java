package dev.packetstream.samples.common;

import java.util.Locale;

/** Number formats for status lines. */
public final class Formats {
    private Formats() {
    }

    public static String bitrate(long bps) {
        if (bps >= 1_000_000) {
            return String.format(Locale.ROOT, "%.1f Mbit/s", bps / 1e6);
        }
        return String.format(Locale.ROOT, "%d kbit/s", bps / 1000);
    }

    public static String bytes(long n) {
        if (n >= 1 << 20) {
            return String.format(Locale.ROOT, "%.1f MB", n / 1048576.0);
        }
        return String.format(Locale.ROOT, "%d kB", n / 1024);
    }

    public static String fps(double fps) {
        return String.format(Locale.ROOT, "%.1f fps", fps);
    }
}
