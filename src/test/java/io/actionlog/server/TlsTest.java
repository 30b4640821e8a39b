package io.actionlog.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.Await;
import io.actionlog.support.Http;
import io.actionlog.support.TestCertificates;
import io.actionlog.support.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS on http.port with certificates made in the test: served, strict about versions and suites, reloaded live. */
class TlsTest {
    @TempDir
    Path dir;

    private TestServer start(Path cert, Path key) throws Exception {
        return TestServer.start(dir.resolve("data"), Map.of("http.tls.cert_file", cert.toString(),
                "http.tls.key_file", key.toString()));
    }

    @Test
    void theConfiguredCertificateServesHttpsAndPlainHttpIsRefused() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        X509Certificate first = TestCertificates.write(dir, "first", cert, key);
        try (TestServer server = start(cert, key)) {
            HttpClient client = HttpClient.newBuilder().sslContext(trusting(first)).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + server.port() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains("\"UP\""), r.body());
            assertThrows(IOException.class, () -> new Http(server.port()).get("/health"));
        }
    }

    @Test
    void tls12WithACbcSuiteIsRefusedAndAnAeadSuiteIsTaken() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        TestCertificates.write(dir, "strict", cert, key);
        try (TestServer server = start(cert, key)) {
            try (SSLSocket s = socket(server.port(), "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256")) {
                assertThrows(SSLHandshakeException.class, s::startHandshake);
            }
            try (SSLSocket s = socket(server.port(), "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")) {
                s.startHandshake();
                assertEquals("TLSv1.2", s.getSession().getProtocol());
            }
        }
    }

    @Test
    void replacedCertificateFilesAreServedWithoutRestart() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        X509Certificate first = TestCertificates.write(dir, "first", cert, key);
        try (TestServer server = start(cert, key)) {
            assertEquals(first, served(server.port()));
            X509Certificate second = TestCertificates.write(dir, "second", cert, key);
            X509Certificate now = Await.until(() -> servedNow(server.port()), second::equals, 20,
                    "the replaced certificate served");
            assertEquals(second.getSubjectX500Principal(), now.getSubjectX500Principal());
        }
    }

    private static X509Certificate servedNow(int port) {
        try {
            return served(port);
        } catch (Exception e) {
            throw new IllegalStateException("no TLS handshake on port " + port, e);
        }
    }

    /** The certificate the server presents to a new connection. */
    private static X509Certificate served(int port) throws Exception {
        try (SSLSocket s = socket(port, "TLSv1.3", "TLS_AES_128_GCM_SHA256")) {
            s.startHandshake();
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        } catch (SSLHandshakeException e) {
            return null;
        }
    }

    private static SSLSocket socket(int port, String protocol, String suite) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new AnyCertificate()}, null);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
        s.setEnabledProtocols(new String[] {protocol});
        s.setEnabledCipherSuites(new String[] {suite});
        return s;
    }

    private static SSLContext trusting(X509Certificate cert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** For reading which certificate is served, not for trusting it. */
    private static final class AnyCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
