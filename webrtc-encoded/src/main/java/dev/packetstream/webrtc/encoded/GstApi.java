package dev.packetstream.webrtc.encoded;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The module's own thin JNA binding of the GLib/GStreamer C functions that gst1-java-core lacks or
 * wraps unsafely (webrtcbin's promises and session descriptions, transceivers, the ICE agent,
 * raw buffers shared between app sources). Every pointer here is borrowed or owned exactly as the
 * C documentation says; the callers free what they own.
 *
 * <p>Loaded lazily by {@link GstProcess}: a missing library surfaces as
 * {@link GstMissingException}, never as a bare {@link UnsatisfiedLinkError}.
 */
final class GstApi {
    private GstApi() {
    }

    /** GstBuffer field offsets on 64-bit Linux (GstMiniObject is 64 bytes; checked at start-up). */
    static final long BUFFER_FLAGS = 16;
    static final long BUFFER_PTS = 72;
    static final long BUFFER_DTS = 80;
    static final long BUFFER_DURATION = 88;
    /** GST_BUFFER_FLAG_DELTA_UNIT. */
    static final int FLAG_DELTA_UNIT = 1 << 13;
    /** GST_BUFFER_FLAG_DISCONT. */
    static final int FLAG_DISCONT = 1 << 6;
    /** GstMapInfo: data pointer and size offsets; the struct is 104 bytes. */
    static final long MAP_DATA = 16;
    static final long MAP_SIZE = 24;
    static final int MAP_INFO_BYTES = 104;
    static final int MAP_READ = 1;
    static final int MAP_WRITE = 2;
    static final long CLOCK_TIME_NONE = -1L;

    /** GstPromiseResult. */
    static final int PROMISE_REPLIED = 2;
    /** GstWebRTCSDPType. */
    static final int SDP_OFFER = 1;
    static final int SDP_ANSWER = 3;
    /** GstWebRTCRTPTransceiverDirection. */
    static final int DIRECTION_SENDONLY = 2;
    static final int DIRECTION_RECVONLY = 3;
    /** GstPadProbeType / return. */
    static final int PROBE_EVENT_UPSTREAM = 1 << 7;
    static final int PROBE_EVENT_DOWNSTREAM = 1 << 6;
    static final int PROBE_OK = 1;

    interface GLib extends Library {
        void g_free(Pointer p);

        Pointer g_main_loop_new(Pointer context, boolean running);

        void g_main_loop_run(Pointer loop);

        void g_main_loop_quit(Pointer loop);

        boolean g_main_loop_is_running(Pointer loop);

        void g_main_loop_unref(Pointer loop);
    }

    interface GObject extends Library {
        NativeLong g_signal_connect_data(Pointer instance, String signal, Callback handler, Pointer data,
                                         Pointer destroy, int flags);

        void g_signal_handler_disconnect(Pointer instance, NativeLong id);

        void g_signal_emit_by_name(Pointer instance, String signal, Object... args);

        void g_object_set(Pointer object, String name, Object... args);

        void g_object_get(Pointer object, String name, Object... args);

        Pointer g_object_ref(Pointer object);

        void g_object_unref(Pointer object);
    }

    interface Gst extends Library {
        Pointer gst_promise_new();

        int gst_promise_wait(Pointer promise);

        void gst_promise_interrupt(Pointer promise);

        Pointer gst_promise_get_reply(Pointer promise);

        Pointer gst_structure_get_value(Pointer structure, String field);

        boolean gst_structure_has_field(Pointer structure, String field);

        Pointer gst_structure_to_string(Pointer structure);

        Pointer gst_structure_new_empty(String name);

        String gst_structure_get_name(Pointer structure);

        boolean gst_structure_get_int(Pointer structure, String field, IntByReference value);

        Pointer gst_structure_get_string(Pointer structure, String field);

        void gst_structure_free(Pointer structure);

        Pointer gst_mini_object_ref(Pointer object);

        Pointer gst_mini_object_copy(Pointer object);

        NativeLong gst_buffer_fill(Pointer buffer, NativeLong offset, Pointer src, NativeLong size);

        void gst_mini_object_unref(Pointer object);

        Pointer gst_buffer_new_allocate(Pointer allocator, NativeLong size, Pointer params);

        boolean gst_buffer_map(Pointer buffer, Pointer info, int flags);

        void gst_buffer_unmap(Pointer buffer, Pointer info);

        Pointer gst_caps_from_string(String caps);

        Pointer gst_caps_get_structure(Pointer caps, int index);

        Pointer gst_caps_to_string(Pointer caps);

        Pointer gst_pad_get_current_caps(Pointer pad);

        boolean gst_pad_has_current_caps(Pointer pad);

        NativeLong gst_pad_add_probe(Pointer pad, int mask, Callback callback, Pointer data, Pointer destroy);

        void gst_pad_remove_probe(Pointer pad, NativeLong id);

        boolean gst_pad_push_event(Pointer pad, Pointer event);

        int gst_pad_link(Pointer src, Pointer sink);

        int gst_pad_get_direction(Pointer pad);

        void gst_object_unref(Pointer object);

        Pointer gst_object_ref(Pointer object);

        Pointer gst_object_get_name(Pointer object);

        Pointer gst_pad_probe_info_get_event(Pointer info);

        Pointer gst_event_get_structure(Pointer event);

        Pointer gst_element_get_static_pad(Pointer element, String name);

        Pointer gst_element_get_clock(Pointer element);

        long gst_element_get_base_time(Pointer element);

        long gst_clock_get_time(Pointer clock);

        Pointer gst_sample_get_buffer(Pointer sample);

        Pointer gst_sample_get_caps(Pointer sample);
    }

    interface GstWebRtc extends Library {
        Pointer gst_webrtc_session_description_new(int type, Pointer sdp);

        Pointer gst_webrtc_session_description_copy(Pointer desc);

        void gst_webrtc_session_description_free(Pointer desc);
    }

    interface GstSdp extends Library {
        int gst_sdp_message_new_from_text(String text, PointerByReference msg);

        Pointer gst_sdp_message_as_text(Pointer msg);

        int gst_sdp_message_free(Pointer msg);
    }

    interface GstApp extends Library {
        int gst_app_src_push_buffer(Pointer appsrc, Pointer buffer);

        long gst_app_src_get_current_level_bytes(Pointer appsrc);

        long gst_app_src_get_current_level_buffers(Pointer appsrc);

        Pointer gst_app_sink_try_pull_sample(Pointer appsink, long timeout);
    }

    interface GstVideo extends Library {
        Pointer gst_video_event_new_upstream_force_key_unit(long runningTime, boolean allHeaders, int count);

        boolean gst_video_event_is_force_key_unit(Pointer event);
    }

    /** The loaded libraries; made once per process by {@link GstProcess}. */
    record Libs(GLib glib, GObject gobject, Gst gst, GstWebRtc webrtc, GstSdp sdp, GstApp app, GstVideo video) {
        static Libs load() {
            return new Libs(Native.load("glib-2.0", GLib.class), Native.load("gobject-2.0", GObject.class),
                    Native.load("gstreamer-1.0", Gst.class), Native.load("gstwebrtc-1.0", GstWebRtc.class),
                    Native.load("gstsdp-1.0", GstSdp.class), Native.load("gstapp-1.0", GstApp.class),
                    Native.load("gstvideo-1.0", GstVideo.class));
        }

        /** A C string GLib allocated, as Java text; frees it. */
        String takeString(Pointer p) {
            if (p == null) {
                return null;
            }
            try {
                return p.getString(0, "UTF-8");
            } finally {
                glib.g_free(p);
            }
        }
    }
}
