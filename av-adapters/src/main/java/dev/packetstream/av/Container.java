package dev.packetstream.av;

import dev.packetstream.core.media.AudioCodec;
import dev.packetstream.core.media.VideoCodec;
import java.util.EnumSet;
import java.util.Set;

/** The file formats {@link MultiplexPacketEncoder} writes, with the codecs each carries. */
public enum Container {
    /** WebM: VP8 or VP9 (or AV1) with Opus. The default. Written in 1-second clusters. */
    WEBM("webm", "webm", VideoCodec.VP8, AudioCodec.OPUS, EnumSet.of(VideoCodec.VP8, VideoCodec.VP9, VideoCodec.AV1),
            EnumSet.of(AudioCodec.OPUS)),
    /** Matroska: any of the SDK's codecs. Written in 1-second clusters. */
    MKV("matroska", "mkv", VideoCodec.VP8, AudioCodec.OPUS, EnumSet.allOf(VideoCodec.class), EnumSet.allOf(AudioCodec.class)),
    /**
     * MP4, fragmented while writing (a fragment per keyframe): H.264 (or VP9, AV1) with AAC (or
     * Opus). A crash loses at most the fragment being written.
     */
    MP4("mp4", "mp4", VideoCodec.H264, AudioCodec.AAC, EnumSet.of(VideoCodec.H264, VideoCodec.VP9, VideoCodec.AV1),
            EnumSet.of(AudioCodec.AAC, AudioCodec.OPUS));

    private final String formatName;
    private final String extension;
    private final VideoCodec defaultVideo;
    private final AudioCodec defaultAudio;
    private final Set<VideoCodec> videoCodecs;
    private final Set<AudioCodec> audioCodecs;

    Container(String formatName, String extension, VideoCodec defaultVideo, AudioCodec defaultAudio,
              Set<VideoCodec> videoCodecs, Set<AudioCodec> audioCodecs) {
        this.formatName = formatName;
        this.extension = extension;
        this.defaultVideo = defaultVideo;
        this.defaultAudio = defaultAudio;
        this.videoCodecs = videoCodecs;
        this.audioCodecs = audioCodecs;
    }

    /** FFmpeg's muxer name. */
    public String formatName() {
        return formatName;
    }

    /** The usual file extension, without dot. */
    public String extension() {
        return extension;
    }

    public VideoCodec defaultVideoCodec() {
        return defaultVideo;
    }

    public AudioCodec defaultAudioCodec() {
        return defaultAudio;
    }

    public boolean carries(VideoCodec codec) {
        return videoCodecs.contains(codec);
    }

    public boolean carries(AudioCodec codec) {
        return audioCodecs.contains(codec);
    }
}
