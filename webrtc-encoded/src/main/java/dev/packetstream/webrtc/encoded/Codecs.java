package dev.packetstream.webrtc.encoded;

import dev.packetstream.core.media.AudioCodec;
import dev.packetstream.core.media.VideoCodec;
import java.util.List;
import java.util.Locale;

/** The GStreamer side of each codec: app-source caps, parser, payloader, depayloader, RTP caps. */
final class Codecs {
    private Codecs() {
    }

    /** What a receive-only audio transceiver accepts. */
    static final String OPUS_RECEIVE_CAPS =
            "application/x-rtp,media=audio,encoding-name=OPUS,clock-rate=48000,encoding-params=(string)2,payload=111";

    /** One send chain: caps of the app source, an optional parser, the payloader and its settings. */
    record SendChain(String sourceCaps, String parser, String payloader, String rtpEncoding, String capsAfterPayloader) {
    }

    static SendChain send(VideoCodec codec) {
        return switch (codec) {
            case H264 -> new SendChain("video/x-h264,stream-format=byte-stream,alignment=au", "h264parse", "rtph264pay",
                    "H264", null);
            case VP8 -> new SendChain("video/x-vp8", null, "rtpvp8pay", "VP8", null);
            case VP9 -> new SendChain("video/x-vp9", null, "rtpvp9pay", "VP9", null);
            case AV1 -> throw new IllegalArgumentException("AV1 cannot be sent by webrtc-encoded (no AV1 RTP payloader in "
                    + "GStreamer 1.22's Debian packages); send H264, VP8 or VP9");
        };
    }

    static SendChain send(AudioCodec codec, int channels) {
        if (codec != AudioCodec.OPUS) {
            throw new IllegalArgumentException(codec + " cannot be sent over WebRTC by webrtc-encoded: browsers take Opus; "
                    + "encode the audio to Opus (AudioPacketEncoder with AudioCodec.OPUS)");
        }
        return new SendChain("audio/x-opus,channel-mapping-family=0,rate=48000,channels=" + channels, null, "rtpopuspay",
                "OPUS", "application/x-rtp,media=audio,encoding-name=OPUS,clock-rate=48000,encoding-params=(string)2");
    }

    /**
     * The payload type of each codec, on both the send and the receive side: Chromium's numbers.
     * webrtcbin 1.22 does not renumber a sender's payload type when it answers an offer, so a
     * sender can answer only offers that use these numbers (Java receivers do; Chromium does for
     * VP8 and Opus, not for H.264).
     */
    static int payloadType(String rtpEncoding) {
        return switch (rtpEncoding) {
            case "VP8" -> 96;
            case "VP9" -> 98;
            case "H264" -> 102;
            case "OPUS" -> 111;
            default -> throw new IllegalArgumentException(rtpEncoding);
        };
    }

    /** Receive caps of a video transceiver: the accepted codecs, preferred first. */
    static String receiveCaps(List<VideoCodec> codecs) {
        StringBuilder caps = new StringBuilder();
        for (VideoCodec c : codecs) {
            if (caps.length() > 0) {
                caps.append(';');
            }
            caps.append("application/x-rtp,media=video,clock-rate=90000,encoding-name=").append(rtpName(c))
                    .append(",payload=").append(payloadType(rtpName(c)));
            if (c == VideoCodec.H264) {
                caps.append(",packetization-mode=(string)1");
            }
        }
        return caps.toString();
    }

    static String rtpName(VideoCodec c) {
        return c.name();
    }

    /** The depayloader (and parser) for a received RTP encoding name, or null when unsupported. */
    static String[] receiveChain(String encodingName) {
        return switch (encodingName.toUpperCase(Locale.ROOT)) {
            case "H264" -> new String[] {"rtph264depay", "h264parse"};
            case "VP8" -> new String[] {"rtpvp8depay"};
            case "VP9" -> new String[] {"rtpvp9depay"};
            case "OPUS" -> new String[] {"rtpopusdepay"};
            default -> null;
        };
    }

    /** Caps the app sink asks for, per encoding name. */
    static String sinkCaps(String encodingName) {
        return switch (encodingName.toUpperCase(Locale.ROOT)) {
            case "H264" -> "video/x-h264,stream-format=byte-stream,alignment=au";
            case "VP8" -> "video/x-vp8";
            case "VP9" -> "video/x-vp9";
            case "OPUS" -> "audio/x-opus";
            default -> throw new IllegalArgumentException(encodingName);
        };
    }

    static VideoCodec videoCodec(String encodingName) {
        return VideoCodec.valueOf(encodingName.toUpperCase(Locale.ROOT));
    }
}
