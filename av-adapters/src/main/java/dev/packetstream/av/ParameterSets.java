package dev.packetstream.av;

/** Where an H.264 encoder puts its parameter sets (SPS/PPS). */
public enum ParameterSets {
    /**
     * In the stream, before every keyframe (Annex-B): what a transport needs, since a receiver can
     * join at any keyframe. Packets carry no extradata.
     */
    IN_BAND,
    /**
     * In the codec's extradata (FFmpeg's global header), carried by every packet: what MP4 and MKV
     * muxing needs.
     */
    EXTRADATA
}
