package dev.packetstream.signaling;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a bare socket, for what well-behaved clients never do: binding a chosen
 * loopback address (to act as many addresses), sending any headers (two Origins, a false Host),
 * sending a frame without FIN and then nothing, trickling bytes, never reading.
 */
public final class WireClient implements AutoCloseable {
    public static final int TEXT = 1;
    public static final int BINARY = 2;
    public static final int CLOSE = 8;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int port;

    /** Connects from {@code localAddress} (e.g. 127.0.0.7); {@code receiveBuffer} > 0 shrinks the socket's buffer. */
    public WireClient(String localAddress, int port, int receiveBuffer) throws IOException {
        this.port = port;
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.setSoTimeout(5_000);
        socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public WireClient(String localAddress, int port) throws IOException {
        this(localAddress, port, 0);
    }

    /** Sends a WebSocket upgrade with these extra header lines; returns the HTTP status. */
    public int upgrade(String... headers) throws IOException {
        StringBuilder request = new StringBuilder("GET /ws HTTP/1.1\r\n");
        boolean host = false;
        for (String header : headers) {
            host |= header.regionMatches(true, 0, "Host:", 0, 5);
        }
        if (!host) {
            request.append("Host: 127.0.0.1:").append(port).append("\r\n");
        }
        request.append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
        boolean version = false;
        for (String header : headers) {
            version |= header.regionMatches(true, 0, "Sec-WebSocket-Version:", 0, 22);
            request.append(header).append("\r\n");
        }
        if (!version) {
            request.append("Sec-WebSocket-Version: 13\r\n");
        }
        writeRaw(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        return status(readHead());
    }

    /** Reads a response's status line and headers. */
    public String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0D0A0D0A) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed in the response head: " + head);
            }
            head.write(b);
            last4 = (last4 << 8) | b;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    public static int status(String head) {
        return Integer.parseInt(head.substring(9, 12));
    }

    public void sendText(String text) throws IOException {
        sendFrame(TEXT, true, text.getBytes(StandardCharsets.UTF_8));
    }

    /** One masked frame; {@code fin} false leaves the message unfinished. */
    public void sendFrame(int opcode, boolean fin, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length <= 0xFFFF) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xFF);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xFF);
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        writeRaw(frame.toByteArray());
    }

    public void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next text frame's text; skips other frames; null when the server closed. */
    public String readText() throws IOException {
        while (true) {
            Frame f = readFrame();
            if (f == null || f.opcode() == CLOSE) {
                return null;
            }
            if (f.opcode() == TEXT) {
                return new String(f.payload(), StandardCharsets.UTF_8);
            }
        }
    }

    /** The status of the server's close frame, or -1 if it closed the socket without one. */
    public int readCloseStatus() throws IOException {
        while (true) {
            Frame f = readFrame();
            if (f == null) {
                return -1;
            }
            if (f.opcode() == CLOSE) {
                byte[] payload = f.payload();
                return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
            }
        }
    }

    /** One frame from the server (never masked): its opcode and payload. */
    private record Frame(int opcode, byte[] payload) {
    }

    /** The next frame, or null at the end of the stream. */
    private Frame readFrame() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        int b1 = in.read();
        long length = b1 & 0x7F;
        if (length == 126) {
            length = (in.read() << 8) | in.read();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | in.read();
            }
        }
        byte[] payload = in.readNBytes((int) length);
        return new Frame(b0 & 0x0F, payload);
    }

    /** Whether the server has closed the connection (reads until end of stream, within the timeout). */
    public boolean closedByServer(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        try {
            byte[] sink = new byte[8192];
            while (in.read(sink) >= 0) {
                // discard until the end of the stream
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true; // reset by the server
        }
    }

    public void setReadTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
