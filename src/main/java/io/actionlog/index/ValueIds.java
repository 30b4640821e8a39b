package io.actionlog.index;

import io.actionlog.action.ActionData;
import io.actionlog.action.ActionField;
import io.actionlog.journal.Entry;
import io.actionlog.journal.ValueNumbers;
import java.util.TreeSet;

/**
 * Finds the posting ids of a Created entry's values (making them for new values, and noting a new action name)
 * before the entry is applied. Replay does this on its decoding thread, which halves the work of the applying
 * thread; live writes on the writer thread, just before they apply.
 *
 * <p>A replay takes an instance of its own, made when the replay starts, rather than reading the postings through
 * the index's fields: the applying thread writes the index's size at every entry, and the decoding thread reading
 * fields on the same cache line at every entry would make the two cores pass that line back and forth.
 */
final class ValueIds {
    /** The posting ids of a Created entry's values; -1 for no value. */
    record Resolved(int user, int object, int[] parents, int action, int method, int ip) {
    }

    private final Postings users;
    private final Postings objects;
    private final Postings parents;
    private final Postings actions;
    private final Postings methods;
    private final Postings ips;
    private final TreeSet<String> actionNames;

    ValueIds(Postings users, Postings objects, Postings parents, Postings actions, Postings methods, Postings ips,
             TreeSet<String> actionNames) {
        this.users = users;
        this.objects = objects;
        this.parents = parents;
        this.actions = actions;
        this.methods = methods;
        this.ips = ips;
        this.actionNames = actionNames;
    }

    /**
     * For a Created entry, its {@link Resolved} values, found by the journal's numbers where it gives them
     * ({@link ValueNumbers#NONE} where it does not); null for other entries.
     */
    Resolved resolve(Entry entry, ValueNumbers n) {
        if (!(entry instanceof Entry.Created c)) {
            return null;
        }
        ActionData d = c.data();
        int[] ps = new int[d.parents().size()];
        for (int i = 0; i < ps.length; i++) {
            ps[i] = parents.idOf(d.parents().get(i), n.parent(i));
        }
        int names = actions.distinct();
        int action = actions.idOf(d.action(), n.of(ActionField.ACTION));
        if (actions.distinct() > names) {
            actionNames.add(d.action());
        }
        return new Resolved(users.idOf(d.user(), n.of(ActionField.USER)),
                objects.idOf(d.object(), n.of(ActionField.OBJECT)), ps, action,
                methods.idOf(d.method(), n.of(ActionField.METHOD)), ips.idOf(d.ip(), n.of(ActionField.IP)));
    }
}
