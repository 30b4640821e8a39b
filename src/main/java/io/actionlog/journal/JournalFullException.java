package io.actionlog.journal;

/**
 * An append was refused, before anything of the batch was written, because the journal's file system has less
 * free space than the journal keeps in reserve. Writing into memory-mapped files on a full disk would crash the
 * process (SIGBUS), so the journal stops short of it.
 */
public class JournalFullException extends RuntimeException {

    public JournalFullException(String message) {
        super(message);
    }
}
