package dev.packetstream.av;

import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * One kind of input {@link MediaCapture} reads: it makes the FFmpeg grabber for that input,
 * configured for it and not yet started. {@link MediaCapture} adds what every input shares (raw
 * images, s16 samples), starts it and maps the failures ({@link CaptureErrors}).
 */
sealed interface CaptureInput permits TestPatternInput, CameraInput, FileInput {
    /**
     * A grabber for this input, configured, not started.
     *
     * @param stage the capture stage's name, for error messages
     * @throws MediaInputException when the input is known to be missing before FFmpeg tries it
     */
    FFmpegFrameGrabber grabber(String stage);

    /** How messages name the input: {@code camera '/dev/video0'}, {@code input 'clip.mp4'}, {@code test pattern}. */
    String describe();
}
