package io.actionlog.support;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed certificates for 127.0.0.1 and localhost, made by the JDK's own keytool and written as the PEM files
 * the server reads: no network, no openssl, nothing outside the JDK that runs the tests.
 */
public final class TestCertificates {
    private TestCertificates() {
    }

    /** The certificate and key written to {@code cert} and {@code key} (each replaced whole, by a rename). */
    public static X509Certificate write(Path work, String commonName, Path cert, Path key) throws Exception {
        Path store = Files.createTempFile(work, "cert", ".p12");
        Files.delete(store);
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname",
                "secp256r1", "-validity", "2", "-dname", "CN=" + commonName, "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        Certificate c = ks.getCertificate("server");
        PrivateKey k = (PrivateKey) ks.getKey("server", "changeit".toCharArray());
        replace(key, pem("PRIVATE KEY", k.getEncoded()));
        replace(cert, pem("CERTIFICATE", c.getEncoded()));
        return (X509Certificate) c;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void replace(Path target, String text) throws Exception {
        Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), "pem", ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
