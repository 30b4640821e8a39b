package io.actionlog.integrity;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.Signature;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checkpoints' signature check ({@link VerifierKey#verifies}, Bouncy Castle's Ed25519) says what the JDK's
 * Ed25519 says, for signatures the key made and for every way of changing one: a bit of R or S, S plus the group
 * order (the malleated twin RFC 8032 refuses), the wrong length, another message.
 */
class SignatureCheckTest {
    /** The order of the Ed25519 group, L = 2^252 + 27742317777372353535851937790883648493. */
    private static final BigInteger L = BigInteger.TWO.pow(252)
            .add(new BigInteger("27742317777372353535851937790883648493"));

    @TempDir
    Path dir;

    @Test
    void itAgreesWithTheJdkOnSignedAndChangedSignatures() throws Exception {
        SigningKey key = SigningKey.loadOrCreate(dir.resolve("signing.key"), "actionlog");
        VerifierKey verifier = key.verifier();
        Random random = new Random(20261205);
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 200; i++) {
            byte[] message = new byte[random.nextInt(300)];
            random.nextBytes(message);
            byte[] signature = key.sign(message);
            assertTrue(verifier.verifies(message, signature));
            assertTrue(jdk(verifier, message, signature));
            accepted++;
            for (byte[] changed : changes(signature, random)) {
                boolean jdk = jdk(verifier, message, changed);
                assertEquals(jdk, verifier.verifies(message, changed), "signature " + Arrays.toString(changed));
                assertFalse(jdk, "a changed signature");
                refused++;
            }
            byte[] other = message.length == 0 ? new byte[] {1} : message.clone();
            other[0] ^= 1;
            assertFalse(verifier.verifies(other, signature));
            assertFalse(jdk(verifier, other, signature));
        }
        assertEquals(200, accepted);
        assertTrue(refused >= 200 * 4, "refused " + refused);
    }

    @Test
    void aCheckpointIsSignedOnlyWithTheFieldsItsNoteHolds() throws Exception {
        SigningKey key = SigningKey.loadOrCreate(dir.resolve("signing.key"), "actionlog");
        Checkpoint signed = Checkpoint.sign(key, "actionlog", 1, new byte[Merkle.HASH_BYTES]);
        assertTrue(signed.signedBy(key.verifier()));
        assertFalse(new Checkpoint("actionlog", 2, signed.root(), signed.note()).signedBy(key.verifier()));
        assertTrue(Checkpoint.parse(signed.note()).signedBy(key.verifier()));
    }

    private static java.util.List<byte[]> changes(byte[] signature, Random random) {
        byte[] bitOfR = signature.clone();
        bitOfR[random.nextInt(32)] ^= (byte) (1 << random.nextInt(8));
        byte[] bitOfS = signature.clone();
        bitOfS[32 + random.nextInt(31)] ^= (byte) (1 << random.nextInt(8));
        byte[] malleated = signature.clone();
        BigInteger s = new BigInteger(1, reverse(Arrays.copyOfRange(signature, 32, 64))).add(L);
        byte[] sPlusL = reverse(s.toByteArray());
        Arrays.fill(malleated, 32, 64, (byte) 0);
        System.arraycopy(sPlusL, 0, malleated, 32, Math.min(32, sPlusL.length));
        return java.util.List.of(bitOfR, bitOfS, malleated, Arrays.copyOf(signature, 63), new byte[64]);
    }

    private static byte[] reverse(byte[] bytes) {
        byte[] r = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            r[i] = bytes[bytes.length - 1 - i];
        }
        return r;
    }

    private static boolean jdk(VerifierKey key, byte[] message, byte[] signature) throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(SigningKey.publicKey(key.publicKey()));
        s.update(message);
        try {
            return s.verify(signature);
        } catch (java.security.SignatureException e) {
            return false;
        }
    }
}
