package io.actionlog.index;

import java.util.Arrays;

/**
 * Growable primitive columns addressed by ordinal, stored in fixed chunks so that growth never copies the data
 * and the heap holds at most one partly used chunk per column.
 */
final class Columns {
    static final int CHUNK_BITS = 16;
    static final int CHUNK = 1 << CHUNK_BITS;
    static final int MASK = CHUNK - 1;
    /** Blocks of the near columns: small, so that one far value widens few others. */
    static final int NEAR_BITS = 10;
    static final int NEAR_BLOCK = 1 << NEAR_BITS;
    static final int NEAR_MASK = NEAR_BLOCK - 1;

    private Columns() {
    }

    /** A column of times by ordinal, however it is stored. */
    interface Times {
        long get(int ordinal);
    }

    static final class Longs implements Times {
        private long[][] chunks = new long[0][];

        @Override
        public long get(int i) {
            return chunks[i >>> CHUNK_BITS][i & MASK];
        }

        void set(int i, long v) {
            int c = i >>> CHUNK_BITS;
            if (c >= chunks.length) {
                chunks = Arrays.copyOf(chunks, c + 1);
                chunks[c] = new long[CHUNK];
            }
            chunks[c][i & MASK] = v;
        }

        long heapBytes() {
            return (long) chunks.length * (CHUNK * 8L + 16);
        }
    }

    static final class Ints {
        private int[][] chunks = new int[0][];

        int get(int i) {
            return chunks[i >>> CHUNK_BITS][i & MASK];
        }

        void set(int i, int v) {
            int c = i >>> CHUNK_BITS;
            if (c >= chunks.length) {
                chunks = Arrays.copyOf(chunks, c + 1);
                chunks[c] = new int[CHUNK];
            }
            chunks[c][i & MASK] = v;
        }

        long heapBytes() {
            return (long) chunks.length * (CHUNK * 4L + 16);
        }
    }

    static final class Bytes {
        private byte[][] chunks = new byte[0][];

        byte get(int i) {
            return chunks[i >>> CHUNK_BITS][i & MASK];
        }

        void set(int i, byte v) {
            int c = i >>> CHUNK_BITS;
            if (c >= chunks.length) {
                chunks = Arrays.copyOf(chunks, c + 1);
                chunks[c] = new byte[CHUNK];
            }
            chunks[c][i & MASK] = v;
        }

        long heapBytes() {
            return (long) chunks.length * (CHUNK + 16L);
        }
    }

    /**
     * Longs that lie within an int of the first value set in their block of {@link #NEAR_BLOCK} ordinals, as most
     * start dates do (consecutive actions start minutes apart, not 35 minutes and more), held as int offsets from
     * it: half a column of longs. A block that gets a value further off is widened to longs for good.
     */
    static final class NearLongs implements Times {
        private long[] bases = new long[0];
        private int[][] narrow = new int[0][];
        private long[][] wide = new long[0][];

        @Override
        public long get(int i) {
            int b = i >>> NEAR_BITS;
            int[] n = narrow[b];
            return n != null ? bases[b] + n[i & NEAR_MASK] : wide[b][i & NEAR_MASK];
        }

        void set(int i, long v) {
            int b = i >>> NEAR_BITS;
            if (b >= narrow.length) {
                int n = Math.max(b + 1, narrow.length * 2);
                bases = Arrays.copyOf(bases, n);
                narrow = Arrays.copyOf(narrow, n);
                wide = Arrays.copyOf(wide, n);
            }
            if (narrow[b] == null && wide[b] == null) {
                narrow[b] = new int[NEAR_BLOCK];
                bases[b] = v;
            }
            int[] n = narrow[b];
            if (n != null) {
                long base = bases[b];
                long d = v - base;
                if (((v ^ base) & (v ^ d)) >= 0 && d == (int) d) {
                    n[i & NEAR_MASK] = (int) d;
                    return;
                }
                long[] w = new long[NEAR_BLOCK];
                for (int k = 0; k < NEAR_BLOCK; k++) {
                    w[k] = base + n[k];
                }
                wide[b] = w;
                narrow[b] = null;
            }
            wide[b][i & NEAR_MASK] = v;
        }

        long heapBytes() {
            long bytes = bases.length * 16L;
            for (int b = 0; b < narrow.length; b++) {
                bytes += narrow[b] != null ? NEAR_BLOCK * 4L + 16 : wide[b] != null ? NEAR_BLOCK * 8L + 16 : 0;
            }
            return bytes;
        }
    }

    /**
     * Non-negative ints that lie less than 65,536 above the first value set in their block of {@link #NEAR_BLOCK}
     * ordinals, as journal positions of consecutive actions do, held as char offsets from it: half a column of
     * ints. A block that gets a value further off, or below the first, is widened to ints for good.
     */
    static final class NearInts {
        private int[] bases = new int[0];
        private char[][] narrow = new char[0][];
        private int[][] wide = new int[0][];

        int get(int i) {
            int b = i >>> NEAR_BITS;
            char[] n = narrow[b];
            return n != null ? bases[b] + n[i & NEAR_MASK] : wide[b][i & NEAR_MASK];
        }

        void set(int i, int v) {
            int b = i >>> NEAR_BITS;
            if (b >= narrow.length) {
                int n = Math.max(b + 1, narrow.length * 2);
                bases = Arrays.copyOf(bases, n);
                narrow = Arrays.copyOf(narrow, n);
                wide = Arrays.copyOf(wide, n);
            }
            if (narrow[b] == null && wide[b] == null) {
                narrow[b] = new char[NEAR_BLOCK];
                bases[b] = v;
            }
            char[] n = narrow[b];
            if (n != null) {
                long d = (long) v - bases[b];
                if (d >= 0 && d <= Character.MAX_VALUE) {
                    n[i & NEAR_MASK] = (char) d;
                    return;
                }
                int[] w = new int[NEAR_BLOCK];
                for (int k = 0; k < NEAR_BLOCK; k++) {
                    w[k] = bases[b] + n[k];
                }
                wide[b] = w;
                narrow[b] = null;
            }
            wide[b][i & NEAR_MASK] = v;
        }

        long heapBytes() {
            long bytes = bases.length * 12L;
            for (int b = 0; b < narrow.length; b++) {
                bytes += narrow[b] != null ? NEAR_BLOCK * 2L + 16 : wide[b] != null ? NEAR_BLOCK * 4L + 16 : 0;
            }
            return bytes;
        }
    }
}
