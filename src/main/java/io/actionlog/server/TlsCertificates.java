package io.actionlog.server;

import io.actionlog.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * HTTPS for {@code http.port}: the certificate chain and key from the PEM files of {@code http.tls.*}, TLS 1.2 and
 * 1.3 only, and on 1.2 only forward-secret AEAD suites (no RSA key exchange, no CBC, no SHA-1 MAC, no 3DES or RC4).
 * The files are looked at every {@link #CHECK_MILLIS}; when either changed (its modification time or size), every
 * listener reads them again and new connections get the new certificate, without a restart. A pair that fails to
 * load (a key written before its certificate, say) is logged and the listeners keep the last good one; the next
 * change is tried again.
 *
 * <p>Threads: the check runs on a worker thread of Vert.x, one at a time (a periodic timer's blocking task).
 */
final class TlsCertificates {
    private static final Logger LOG = Logger.getLogger(TlsCertificates.class.getName());
    static final long CHECK_MILLIS = 1000;
    static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
    /** TLS 1.3's suites, then TLS 1.2's ECDHE suites with AES-GCM or ChaCha20-Poly1305: Mozilla's "intermediate". */
    static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private final Config.Tls tls;
    private String seen;

    private TlsCertificates(Config.Tls tls) {
        this.tls = tls;
        this.seen = signature();
    }

    /** Sets the options up for HTTPS when TLS is configured; leaves them as they are otherwise. */
    static HttpServerOptions apply(HttpServerOptions options, Config.Tls tls) {
        if (!tls.enabled()) {
            return options;
        }
        options.setSsl(true).setKeyCertOptions(keyCert(tls)).setEnabledSecureTransportProtocols(PROTOCOLS);
        CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
        return options;
    }

    /** Starts watching the files for the listeners; returns the timer, or -1 when TLS is off. */
    static long watch(Vertx vertx, Config.Tls tls, List<HttpServer> listeners) {
        if (!tls.enabled()) {
            return -1;
        }
        TlsCertificates watcher = new TlsCertificates(tls);
        return vertx.setPeriodic(CHECK_MILLIS, id -> vertx.executeBlocking(() -> watcher.check(listeners), true));
    }

    private boolean check(List<HttpServer> listeners) throws Exception {
        String now = signature();
        if (now.equals(seen)) {
            return false;
        }
        seen = now;
        ServerSSLOptions ssl = new ServerSSLOptions().setKeyCertOptions(keyCert(tls))
                .setEnabledSecureTransportProtocols(PROTOCOLS);
        CIPHER_SUITES.forEach(ssl::addEnabledCipherSuite);
        try {
            Future.all(listeners.stream().map(l -> l.updateSSLOptions(ssl, true)).toList())
                    .toCompletionStage().toCompletableFuture().get();
            LOG.info("TLS certificate reloaded from " + tls.certFile() + " and " + tls.keyFile());
            return true;
        } catch (Exception e) {
            LOG.warning("TLS certificate files changed but do not load; keeping the previous certificate: "
                    + (e.getCause() == null ? e : e.getCause()).getMessage());
            return false;
        }
    }

    private static PemKeyCertOptions keyCert(Config.Tls tls) {
        return new PemKeyCertOptions().setCertPath(tls.certFile().toString()).setKeyPath(tls.keyFile().toString());
    }

    private String signature() {
        return stamp(tls.certFile()) + "|" + stamp(tls.keyFile());
    }

    private static String stamp(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis() + ":" + Files.size(file);
        } catch (IOException e) {
            return "missing";
        }
    }
}
