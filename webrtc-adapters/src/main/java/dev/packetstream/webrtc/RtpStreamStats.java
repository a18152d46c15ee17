package dev.packetstream.webrtc;

/**
 * One RTP stream of a {@link SessionStats} snapshot. Fields that do not apply (e.g. frames
 * decoded of an outbound stream, resolution of audio) are 0 or "".
 *
 * @param direction               outbound (we send) or inbound (we receive)
 * @param kind                    video or audio
 * @param codec                   MIME type, e.g. {@code video/VP8}, or "" before negotiation
 * @param width                   frame width (video)
 * @param height                  frame height (video)
 * @param framesPerSecond         as libwebrtc measures it (video)
 * @param bitrateBps              payload bits per second since the previous snapshot (0 on the first)
 * @param bytes                   bytes sent or received so far
 * @param packets                 RTP packets sent or received so far
 * @param packetsLost             packets lost (inbound: as we see them; outbound: as the peer reports)
 * @param framesEncoded           frames the encoder produced (outbound video)
 * @param framesDecoded           frames the decoder produced (inbound video)
 * @param qualityLimitationReason why the encoder holds back: none, cpu, bandwidth, other (outbound video)
 */
public record RtpStreamStats(StreamDirection direction, MediaKind kind, String codec, int width, int height, double framesPerSecond,
                             long bitrateBps, long bytes, long packets, long packetsLost, long framesEncoded,
                             long framesDecoded, String qualityLimitationReason) {
    public boolean isOutbound() {
        return direction == StreamDirection.OUTBOUND;
    }

    public boolean isVideo() {
        return kind == MediaKind.VIDEO;
    }
}
