package io.actionlog.journal;

/**
 * The bytes of an entry cannot be decoded: unknown format version or entry type, a checksum mismatch, or bytes
 * that are truncated or malformed. Thrown by {@link EntryCodec#decode} and by {@link Journal#read} for such an
 * entry; {@link Journal#replay} reports and skips it instead.
 */
public class CorruptEntryException extends RuntimeException {

    public CorruptEntryException(String message) {
        super(message);
    }
}
