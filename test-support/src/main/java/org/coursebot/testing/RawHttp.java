package org.coursebot.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A request written on a socket as it is, for what an HTTP client will not send (a 100,000-character request
 * line, a header of 100 KB); the response is read until the server closes the connection.
 */
public final class RawHttp {

    /** A response: its status line's code, its Content-Type ("" when none) and its body. */
    public record Response(int status, String contentType, String body) {
    }

    private RawHttp() {
    }

    public static Response send(URI base, String request) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String text = new String(readUntilClosed(socket.getInputStream()), StandardCharsets.UTF_8);
            int headEnd = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/1.") || headEnd < 0) {
                throw new IOException("no complete response: '" + text.substring(0, Math.min(200, text.length())) + "'");
            }
            String head = text.substring(0, headEnd);
            String contentType = head.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("content-type:"))
                    .map(l -> l.substring("content-type:".length()).trim()).findFirst().orElse("");
            return new Response(Integer.parseInt(head.substring(9, 12)), contentType, text.substring(headEnd + 4));
        }
    }

    private static byte[] readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                read.write(buffer, 0, n);
            }
        } catch (java.net.SocketException reset) {
            // the server closed with bytes of ours unread: what arrived before is the response
        }
        return read.toByteArray();
    }
}
