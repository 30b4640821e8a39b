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
}
