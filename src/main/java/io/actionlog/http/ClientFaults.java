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
 * failures of the server itself, which must stay visible.
 */
public final class ClientFaults {
    private static final int MAX_TEXT = 200;

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
        return thrower.startsWith("io.netty.handler.codec.")
                || t instanceof IOException && thrower.startsWith("sun.nio.ch.");
    }

    /** One line for the log: the request, the exception's class and message, nothing the client can make long. */
    public static String describe(String method, String path, Throwable t) {
        String text = method + " " + path + ": " + t.getClass().getSimpleName() + ": " + t.getMessage();
        text = text.replaceAll("[\\p{Cntrl}]", "?");
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "...";
    }
}
