package io.actionlog.integrity;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Known answers from an independent RFC 6962 implementation: the test data of the transparency-dev {@code merkle}
 * Go module (testonly/constants.go and proof/verify_test.go), values copied as published.
 */
class MerkleVectorsTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String[] LEAVES = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
            "606162636465666768696a6b6c6d6e6f"};
    /** Root hashes of the trees of the first 1..8 leaves. */
    private static final String[] ROOTS = {
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};
    /** The leaf hashes, then the complete subtrees of level 1 and 2 of the 8-leaf tree. */
    private static final String[][] NODES = {{
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
            "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"}, {
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"}, {
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}, {
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"}};

    private final MessageDigest sha = Merkle.sha256();

    private TreeFile treeOfVectorLeaves(Path dir) throws IOException {
        TreeFile tree = TreeFile.open(dir.resolve("tree"));
        for (String leaf : LEAVES) {
            tree.append(Merkle.leafHash(sha, HEX.parseHex(leaf)));
        }
        tree.flush();
        return tree;
    }

    @Test
    void rootOfEveryPrefixIsThePublishedOne(@TempDir Path dir) throws IOException {
        try (TreeFile tree = treeOfVectorLeaves(dir)) {
            assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                    HEX.formatHex(tree.root(sha, 0)));
            for (int size = 1; size <= 8; size++) {
                assertEquals(ROOTS[size - 1], HEX.formatHex(tree.root(sha, size)), "root of " + size);
            }
        }
    }

    @Test
    void everyStoredSubtreeIsThePublishedNode(@TempDir Path dir) throws IOException {
        try (TreeFile tree = treeOfVectorLeaves(dir)) {
            for (int level = 0; level < NODES.length; level++) {
                for (int i = 0; i < NODES[level].length; i++) {
                    assertEquals(NODES[level][i], HEX.formatHex(tree.node(level, i)), "node " + level + "/" + i);
                }
            }
        }
    }

    @Test
    void inclusionPathsAreThePublishedOnes(@TempDir Path dir) throws IOException {
        try (TreeFile tree = treeOfVectorLeaves(dir)) {
            // {leaf index, tree size, path...}: the vectors number leaves from 1; these are 0-based.
            assertPath(tree, 0, 8, "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
            assertPath(tree, 5, 8, "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
            assertPath(tree, 2, 3, "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125");
            assertPath(tree, 1, 5, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b");
            assertPath(tree, 0, 1);
        }
    }

    @Test
    void consistencyProofsAreThePublishedOnes(@TempDir Path dir) throws IOException {
        try (TreeFile tree = treeOfVectorLeaves(dir)) {
            assertConsistency(tree, 1, 1);
            assertConsistency(tree, 1, 8, "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
            assertConsistency(tree, 6, 8, "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
            assertConsistency(tree, 2, 5, "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b");
            assertConsistency(tree, 6, 7, "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
        }
    }

    private void assertPath(TreeFile tree, long index, long size, String... expected) {
        List<byte[]> path = Merkle.inclusionPath(sha, index, size, tree::subtree);
        assertEquals(List.of(expected), path.stream().map(HEX::formatHex).toList(), "path of " + index + " in " + size);
    }

    private void assertConsistency(TreeFile tree, long first, long second, String... expected) {
        List<byte[]> proof = Merkle.consistencyProof(sha, first, second, tree::subtree);
        assertEquals(List.of(expected), proof.stream().map(HEX::formatHex).toList(), first + " to " + second);
    }

    @Test
    void reopenedTreeGoesOnWhereItStopped(@TempDir Path dir) throws IOException {
        try (TreeFile tree = TreeFile.open(dir.resolve("tree"))) {
            for (int i = 0; i < 5; i++) {
                tree.append(Merkle.leafHash(sha, HEX.parseHex(LEAVES[i])));
            }
        }
        try (TreeFile tree = TreeFile.open(dir.resolve("tree"))) {
            assertEquals(5, tree.size());
            for (int i = 5; i < 8; i++) {
                tree.append(Merkle.leafHash(sha, HEX.parseHex(LEAVES[i])));
            }
            tree.flush();
            assertArrayEquals(HEX.parseHex(ROOTS[7]), tree.root(sha, 8));
            assertEquals(TreeFile.nodes(8) * 32, java.nio.file.Files.size(dir.resolve("tree")));
        }
    }
}
