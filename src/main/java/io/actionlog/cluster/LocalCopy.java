package io.actionlog.cluster;

import io.actionlog.config.Config;
import io.actionlog.journal.Journal;
import java.io.IOException;
import java.nio.file.Files;

/**
 * What the data directory holds of the topic, read before anything is asked of the brokers: no copy yet (a new
 * node), a copy that resumes at its recorded position (perhaps with entries of the command it stopped in: {@link
 * Resume}), or a copy that does not match its record and is to be rebuilt. Only a copy that resumes can answer reads
 * while the brokers do not answer; the other two need the topic before they hold anything to serve.
 */
record LocalCopy(long journalEntries, NodePosition.Stored stored, Resume resume, boolean rebuild) {

    /** Refuses a data directory that holds a single-host journal: that needs no broker to tell. */
    static LocalCopy read(Config config, Journal journal) throws IOException {
        long entries = journal.size();
        NodePosition.Stored stored = NodePosition.read(config.dataDir());
        if (stored == null && !Files.exists(NodePosition.file(config.dataDir()))) {
            if (entries > 0) {
                throw new ClusterException("the data directory " + config.dataDir() + " holds a single-host journal of "
                        + entries + " entries; a cluster node starts from an empty data directory, which it fills "
                        + "from the topic " + config.cluster().topic());
            }
            return new LocalCopy(0, null, null, false);
        }
        Resume resume = stored == null ? null : Resume.of(journal, stored.nextOffset(), stored.journalSize());
        boolean rebuild = stored == null || (resume == null && stored.journalSize() != entries);
        return new LocalCopy(entries, stored, resume, rebuild);
    }

    boolean isNew() {
        return stored == null && !rebuild;
    }

    /**
     * Whether the copy can answer reads before the topic is checked: it resumes where it recorded, with nothing past
     * that. Entries of a command the node stopped in would show part of a command no other node shows, and whether
     * they are that command's at all takes the topic to tell ({@link LeftoverCheck}).
     */
    boolean resumes() {
        return stored != null && !rebuild && resume == null;
    }
}
