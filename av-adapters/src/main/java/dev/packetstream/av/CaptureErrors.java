package dev.packetstream.av;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps FFmpeg's failures to open or read an input to {@link MediaInputException}s whose reason
 * ({@code NOT_FOUND}, {@code BUSY}, {@code PERMISSION_DENIED}, {@code UNREADABLE}) and message say
 * what was wrong and what to do.
 */
final class CaptureErrors {
    private static final Pattern FFMPEG_ERROR = Pattern.compile("error (-?\\d+)");

    private CaptureErrors() {
    }

    /** The input could not be opened; the FFmpeg error code in {@code e}'s message picks the reason. */
    static MediaInputException openFailed(String stage, String input, CaptureInput kind, Exception e) {
        String msg = String.valueOf(e.getMessage());
        Matcher m = FFMPEG_ERROR.matcher(msg);
        int code = m.find() ? Integer.parseInt(m.group(1)) : 0;
        String what = kind.describe();
        String prefix = "capture '" + stage + "': ";
        return switch (code) {
            case -2 -> new MediaInputException(input, MediaInputException.Reason.NOT_FOUND,
                    prefix + what + " not found: " + Ffmpeg.error(code) + "; check the path or URL", e);
            case -16 -> new MediaInputException(input, MediaInputException.Reason.BUSY,
                    prefix + what + " is busy: another process is using it (" + Ffmpeg.error(code) + "); close that process or choose another device", e);
            case -13, -1 -> new MediaInputException(input, MediaInputException.Reason.PERMISSION_DENIED,
                    prefix + "no permission to open " + what + " (" + Ffmpeg.error(code) + "); for a camera, join the 'video' group", e);
            default -> new MediaInputException(input, MediaInputException.Reason.UNREADABLE,
                    prefix + what + " cannot be read as media" + (code != 0 ? ": " + Ffmpeg.error(code) : "")
                            + " [" + msg + "]; check that it is a complete audio/video file in a format FFmpeg knows", e);
        };
    }

    /** Reading failed in the middle of the input. */
    static MediaInputException readFailed(String stage, String input, Throwable failure) {
        return new MediaInputException(input, MediaInputException.Reason.UNREADABLE,
                "capture '" + stage + "': reading '" + input + "' failed: " + failure.getMessage(), failure);
    }
}
