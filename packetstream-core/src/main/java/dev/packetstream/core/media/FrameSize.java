package dev.packetstream.core.media;

/**
 * A video frame size for I420: both numbers even and at least 2 (I420 halves the chroma planes in
 * both directions). Written {@code WIDTHxHEIGHT}.
 *
 * @param width  pixels across, even, at least 2
 * @param height pixels down, even, at least 2
 */
public record FrameSize(int width, int height) {
    public FrameSize {
        if (!valid(width, height)) {
            throw new IllegalArgumentException(problem("a frame size", width, height));
        }
    }

    /**
     * The size {@code width x height}, or an {@link IllegalArgumentException} whose message starts
     * with {@code what} (for example "converter 'to-720p': target size").
     */
    public static FrameSize of(String what, int width, int height) {
        if (!valid(width, height)) {
            throw new IllegalArgumentException(problem(what, width, height));
        }
        return new FrameSize(width, height);
    }

    /** Parses {@code WIDTHxHEIGHT}, such as {@code 1280x720}. */
    public static FrameSize parse(String text) {
        String[] p = text.toLowerCase(java.util.Locale.ROOT).split("x");
        if (p.length != 2) {
            throw new IllegalArgumentException("expected WIDTHxHEIGHT such as 1280x720, was '" + text + "'");
        }
        try {
            return new FrameSize(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected WIDTHxHEIGHT such as 1280x720, was '" + text + "'");
        }
    }

    /** Pixels in a frame. */
    public int pixels() {
        return width * height;
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }

    private static boolean valid(int width, int height) {
        return width >= 2 && height >= 2 && width % 2 == 0 && height % 2 == 0;
    }

    private static String problem(String what, int width, int height) {
        return what + " must be even and at least 2x2 (I420 halves the chroma planes), was " + width + "x" + height;
    }
}
