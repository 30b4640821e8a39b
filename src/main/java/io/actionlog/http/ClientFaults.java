package io.actionlog.http;

import io.netty.handler.codec.DecoderException;
import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLException;

/**
 * Failures a client causes by how it uses the connection rather than by what it asks: it closes or resets the
 * connection mid-request, or sends bytes the HTTP decoder refuses (a bad chunk size, TLS to a cleartext port).
 * They are routine on any network, so they are logged as one line at FINE; SEVERE with a stack trace is kept for
 * failures of the server itself, which must stay visible. A header value the HTTP layer refuses (a control
 * character in it) is named without its text, which may be a key.
 */
public final class ClientFaults {
    private static final int MAX_TEXT = 200;
    /** Where Vert.x checks each request header as it decodes it; its message quotes the whole header value. */
    private static final String HEADER_CHECK = "io.vertx.core.http.impl.HttpUtils";

    private ClientFaults() {
    }

    public static boolean causedBy(Throwable t) {
        if (t instanceof HttpClosedException || t instanceof SocketException || t instanceof ClosedChannelException
                || t instanceof DecoderException || t instanceof SSLException) {
            return true;
        }
        StackTraceElement[] at = t.getStackTrace();
        if (at.length == 0) {
            return false;
        }
        String thrower = at[0].getClassName();
        // The decoder throws plain exceptions too (NumberFormatException for a bad chunk size), and a write to a
        // socket the peer closed fails in the JDK's socket code with a bare IOException ("Broken pipe").
        return thrower.startsWith("io.netty.handler.codec.") || refusedHeader(t)
                || t instanceof IOException && thrower.startsWith("sun.nio.ch.");
    }

    private static boolean refusedHeader(Throwable t) {
        StackTraceElement[] at = t.getStackTrace();
        return t instanceof IllegalArgumentException && at.length > 0 && at[0].getClassName().equals(HEADER_CHECK);
    }

    /** One line for the log: the request, the exception's class and message, nothing the client can make long. */
    public static String describe(String method, String path, Throwable t) {
        String why = refusedHeader(t) ? "a header value holds a character HTTP does not allow" : t.getMessage();
        String text = method + " " + path + ": " + t.getClass().getSimpleName() + ": " + why;
        text = text.replaceAll("[\\p{Cntrl}]", "?");
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "...";
    }
}
