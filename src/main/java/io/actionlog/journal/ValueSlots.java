package io.actionlog.journal;

/**
 * One field's values to their numbers, for {@link ValueTable}: an open-addressing table of each value's hash and
 * number, where the value itself stays in the field's value array. A lookup compares the stored hash, in this
 * table's own arrays, before it compares the value: the writer looks up every repeated value of every entry it
 * appends, each a fresh string from the request, and the held strings it compared against on every probe were
 * scattered over the heap and rarely in the cache (the equals of a map from strings was most of the lookup).
 * Kept at most half full, so a probe sequence stays short. One thread, as the {@link ValueTable} it belongs to.
 */
final class ValueSlots {
    /** Per slot: the number + 1 of the value there, 0 for an empty slot. */
    private int[] numbers = new int[16];
    private int[] hashes = new int[16];
    private int mask = 15;
    private int size;

    /** The number of {@code value} in this field, looked up in {@code values} by number, or {@code absent}. */
    int find(String value, String[] values, int absent) {
        int h = value.hashCode();
        for (int i = spread(h) & mask; ; i = (i + 1) & mask) {
            int n = numbers[i];
            if (n == 0) {
                return absent;
            }
            if (hashes[i] == h && value.equals(values[n - 1])) {
                return n - 1;
            }
        }
    }

    /** Notes that {@code value} has number {@code n}; it has none yet. */
    void put(String value, int n) {
        if ((size + 1) * 2 > numbers.length) {
            grow();
        }
        insert(value.hashCode(), n + 1);
        size++;
    }

    /** Forgets number {@code n}, whose value is {@code value}; the slots after it move up (no tombstones). */
    void remove(String value, int n) {
        int i = spread(value.hashCode()) & mask;
        while (numbers[i] != n + 1) {
            if (numbers[i] == 0) {
                return;
            }
            i = (i + 1) & mask;
        }
        size--;
        for (;;) {
            int hole = i;
            int slot;
            do {
                i = (i + 1) & mask;
                if (numbers[i] == 0) {
                    numbers[hole] = 0;
                    return;
                }
                slot = spread(hashes[i]) & mask;
                // The entry at i may fill the hole unless its home slot lies cyclically in (hole, i].
            } while (hole <= i ? hole < slot && slot <= i : hole < slot || slot <= i);
            numbers[hole] = numbers[i];
            hashes[hole] = hashes[i];
        }
    }

    private void insert(int hash, int numberPlusOne) {
        int i = spread(hash) & mask;
        while (numbers[i] != 0) {
            i = (i + 1) & mask;
        }
        numbers[i] = numberPlusOne;
        hashes[i] = hash;
    }

    private void grow() {
        int[] oldNumbers = numbers;
        int[] oldHashes = hashes;
        numbers = new int[oldNumbers.length * 2];
        hashes = new int[numbers.length];
        mask = numbers.length - 1;
        for (int i = 0; i < oldNumbers.length; i++) {
            if (oldNumbers[i] != 0) {
                insert(oldHashes[i], oldNumbers[i]);
            }
        }
    }

    /** Spreads a string hash's bits over the low ones the mask keeps (as fastutil's and the JDK's maps do). */
    private static int spread(int h) {
        int x = h * 0x9E3779B9;
        return x ^ (x >>> 16);
    }

}
