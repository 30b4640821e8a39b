package io.actionlog.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 over one kept-alive socket, byte for byte as given: request targets with raw non-ASCII or control bytes,
 * bodies that are not UTF-8, headers of any size, a Host of the caller's choosing. For tests that feed the server
 * what no well-behaved client would.
 */
public final class RawHttp implements AutoCloseable {
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    public RawHttp(int port) {
        this.port = port;
    }

    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    public Response exchange(String method, byte[] target, Map<String, String> headers, byte[] body) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                if (socket == null) {
                    connect();
                }
                write(method, target, headers, body);
                Response r = read(method);
                if ("close".equalsIgnoreCase(r.header("connection"))) {
                    close();
                }
                return r;
            } catch (IOException e) {
                close();
                if (attempt > 0) {
                    throw e;
                }
            }
        }
    }

    private void connect() throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream(), 65536);
        out = socket.getOutputStream();
    }

    private void write(String method, byte[] target, Map<String, String> headers, byte[] body) throws IOException {
        ByteArrayOutputStream req = new ByteArrayOutputStream(256 + (body == null ? 0 : body.length));
        req.writeBytes((method + " ").getBytes(StandardCharsets.ISO_8859_1));
        req.writeBytes(target);
        req.writeBytes(" HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (headers.keySet().stream().noneMatch("Host"::equalsIgnoreCase)) {
            req.writeBytes("Host: 127.0.0.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        for (Map.Entry<String, String> h : headers.entrySet()) {
            req.writeBytes((h.getKey() + ": " + h.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        if (body != null) {
            req.writeBytes(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        req.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            req.writeBytes(body);
        }
        req.writeTo(out);
        out.flush();
    }

    private Response read(String method) throws IOException {
        String status = line();
        if (status.isEmpty()) {
            throw new IOException("connection closed");
        }
        Map<String, String> headers = new TreeMap<>();
        for (String h; !(h = line()).isEmpty(); ) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        byte[] body;
        if (method.equals("HEAD")) {
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int n; (n = Integer.parseInt(line().split(";")[0].trim(), 16)) > 0; ) {
                b.writeBytes(in.readNBytes(n));
                line();
            }
            line();
            body = b.toByteArray();
        } else {
            body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        }
        return new Response(Integer.parseInt(status.split(" ")[1]), headers, body);
    }

    private String line() throws IOException {
        return line(in);
    }

    /** One line of an HTTP head read byte by byte (nothing read past it), without its CR LF. */
    public static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = in.read()) != -1 && c != '\n'; ) {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException e) {
            // nothing left to do with it
        }
        socket = null;
    }
}
