package dev.packetstream.av;

import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * The built-in test pattern: FFmpeg's moving {@code testsrc2} (default 640x480) and, with audio, a
 * sine tone, both from a lavfi filter graph.
 */
record TestPatternInput(int width, int height, int fps, boolean audio, int sampleRate, int channels, int toneHz)
        implements CaptureInput {
    @Override
    public FFmpegFrameGrabber grabber(String stage) {
        String video = "testsrc2=size=" + (width > 0 ? width : 640) + "x" + (height > 0 ? height : 480) + ":rate=" + fps
                + ",format=yuv420p";
        String graph = audio
                ? video + "[out0];sine=frequency=" + toneHz + ":sample_rate=" + sampleRate
                        + ",aformat=sample_fmts=s16:channel_layouts=" + (channels == 1 ? "mono" : "stereo") + "[out1]"
                : video;
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(graph);
        g.setFormat("lavfi");
        return g;
    }

    @Override
    public String describe() {
        return "test pattern";
    }
}
