package io.actionlog.integrity;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Over random trees kept in a {@link TreeFile}: every root equals the RFC's definition, every inclusion and
 * consistency proof verifies by the RFC's algorithm, and changing any one hash of a proof makes it fail.
 */
class MerkleProofPropertyTest {
    private final MessageDigest sha = Merkle.sha256();
    private final Random random = new Random(17);

    @Test
    void proofsOfRandomTreesVerifyAndAnyChangedHashFails(@TempDir Path dir) throws IOException {
        for (int round = 0; round < 6; round++) {
            int n = 1 + random.nextInt(300);
            List<byte[]> leaves = new ArrayList<>();
            try (TreeFile tree = TreeFile.open(dir.resolve("tree" + round))) {
                for (int i = 0; i < n; i++) {
                    byte[] data = new byte[random.nextInt(40)];
                    random.nextBytes(data);
                    leaves.add(Merkle.leafHash(sha, data));
                    tree.append(leaves.get(i));
                }
                tree.flush();
                for (int trial = 0; trial < 60; trial++) {
                    checkInclusion(tree, leaves, 1 + random.nextInt(n));
                    checkConsistency(tree, leaves, 1 + random.nextInt(n), 1 + random.nextInt(n));
                }
            }
        }
    }

    private void checkInclusion(TreeFile tree, List<byte[]> leaves, int size) {
        byte[] root = tree.root(sha, size);
        assertArrayEquals(ProofCheck.reference(leaves, 0, size), root, "root of " + size);
        int index = random.nextInt(size);
        List<byte[]> path = Merkle.inclusionPath(sha, index, size, tree::subtree);
        assertTrue(ProofCheck.inclusion(index, size, leaves.get(index), path, root), index + " in " + size);
        assertFalse(ProofCheck.inclusion(index, size, flipped(leaves.get(index)), path, root), "changed leaf");
        for (int i = 0; i < path.size(); i++) {
            List<byte[]> changed = new ArrayList<>(path);
            changed.set(i, flipped(path.get(i)));
            assertFalse(ProofCheck.inclusion(index, size, leaves.get(index), changed, root), "changed hash " + i);
        }
        assertFalse(ProofCheck.inclusion(index, size, leaves.get(index), path, flipped(root)), "changed root");
    }

    private void checkConsistency(TreeFile tree, List<byte[]> leaves, int a, int b) {
        int first = Math.min(a, b);
        int second = Math.max(a, b);
        byte[] firstRoot = tree.root(sha, first);
        byte[] secondRoot = tree.root(sha, second);
        List<byte[]> proof = Merkle.consistencyProof(sha, first, second, tree::subtree);
        assertTrue(ProofCheck.consistency(first, second, proof, firstRoot, secondRoot), first + " to " + second);
        for (int i = 0; i < proof.size(); i++) {
            List<byte[]> changed = new ArrayList<>(proof);
            changed.set(i, flipped(proof.get(i)));
            assertFalse(ProofCheck.consistency(first, second, changed, firstRoot, secondRoot), "changed hash " + i);
        }
        if (first < second) {
            assertFalse(ProofCheck.consistency(first, second, proof, flipped(firstRoot), secondRoot), "changed root");
        }
    }

    private byte[] flipped(byte[] hash) {
        byte[] copy = hash.clone();
        copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
        return copy;
    }
}
