package dev.packetstream.av;

import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * A V4L2 camera, by device path or by the name {@link CaptureDevices#list()} reports; asked for the
 * requested size (when set) and frame rate.
 */
record CameraInput(String device, int width, int height, int fps) implements CaptureInput {
    @Override
    public FFmpegFrameGrabber grabber(String stage) {
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(CaptureDevices.resolve(stage, device));
        g.setFormat("video4linux2");
        if (width > 0 && height > 0) {
            g.setImageWidth(width);
            g.setImageHeight(height);
        }
        g.setFrameRate(fps);
        return g;
    }

    @Override
    public String describe() {
        return "camera '" + device + "'";
    }
}
