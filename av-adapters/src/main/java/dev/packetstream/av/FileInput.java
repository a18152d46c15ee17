package dev.packetstream.av;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/** A file or URL FFmpeg reads; its audio resampled to the requested rate and channels. */
record FileInput(String pathOrUrl, int sampleRate, int channels) implements CaptureInput {
    @Override
    public FFmpegFrameGrabber grabber(String stage) {
        if (!pathOrUrl.contains("://") && !Files.exists(Path.of(pathOrUrl))) {
            throw new MediaInputException(pathOrUrl, MediaInputException.Reason.NOT_FOUND, "capture '" + stage
                    + "': file '" + pathOrUrl + "' does not exist; check the path (relative paths resolve against "
                    + Path.of("").toAbsolutePath() + ")", null);
        }
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(pathOrUrl);
        g.setSampleRate(sampleRate);
        g.setAudioChannels(channels);
        return g;
    }

    @Override
    public String describe() {
        return "input '" + pathOrUrl + "'";
    }
}
