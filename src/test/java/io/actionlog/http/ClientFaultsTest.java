package io.actionlog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpClosedException;
import java.net.SocketException;
import org.junit.jupiter.api.Test;

class ClientFaultsTest {
    @Test
    void theServersOwnExceptionsStayServerFailures() {
        assertFalse(ClientFaults.causedBy(new NumberFormatException("For input string: \"1e2147483648\"")),
                "a number our own code failed to parse is a bug of ours, whatever its type");
        assertFalse(ClientFaults.causedBy(new IllegalStateException("x")));
        assertFalse(ClientFaults.causedBy(new java.io.IOException("disk full")));
    }

    @Test
    void aBrokenConnectionIsTheClients() {
        assertTrue(ClientFaults.causedBy(new HttpClosedException("Connection was closed")));
        assertTrue(ClientFaults.causedBy(new SocketException("Connection reset")));
        NumberFormatException fromDecoder = new NumberFormatException("Invalid character in chunk size");
        fromDecoder.setStackTrace(new StackTraceElement[] {new StackTraceElement(
                "io.netty.handler.codec.http.HttpObjectDecoder", "getChunkSize", "HttpObjectDecoder.java", 1052)});
        assertTrue(ClientFaults.causedBy(fromDecoder));
    }

    @Test
    void theLineIsShortAndPlain() {
        String line = ClientFaults.describe("POST", "/a\nb" + "x".repeat(500), new SocketException("reset"));
        assertEquals(-1, line.indexOf('\n'));
        assertTrue(line.length() <= 203, line);
    }
}
