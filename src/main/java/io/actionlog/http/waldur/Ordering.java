package io.actionlog.http.waldur;

import io.actionlog.index.Sort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code o} parameter, read as Django REST framework's OrderingFilter reads it: a comma list of field names,
 * each optionally prefixed by one {@code -}, blanks around a term ignored, unknown terms dropped; nothing left
 * means the default, newest first. Ties are broken by the default order ({@code -executed_at}); executed_at
 * itself breaks ties by id in its own direction, so every order is total and paging is stable.
 */
final class Ordering {
    static final Map<String, Sort.Key> KEYS = Map.of(
            "id", Sort.Key.ID,
            "corrective_action_label", Sort.Key.ACTION,
            "executed_at", Sort.Key.START,
            "success", Sort.Key.OUTCOME,
            "error_message", Sort.Key.ERROR,
            "execution_metadata", Sort.Key.METADATA);

    private Ordering() {
    }

    static Sort parse(String raw) {
        if (raw == null) {
            return Sort.NEWEST_FIRST;
        }
        List<Sort.Term> terms = new ArrayList<>();
        for (String part : raw.split(",")) {
            String term = part.strip();
            boolean descending = term.startsWith("-");
            Sort.Key key = KEYS.get(descending ? term.substring(1) : term);
            if (key != null) {
                terms.add(new Sort.Term(key, descending));
            }
        }
        return terms.isEmpty() ? Sort.NEWEST_FIRST : Sort.of(terms);
    }

    /** The face's name of a key, for messages. */
    static String name(Sort.Key key) {
        return KEYS.entrySet().stream().filter(e -> e.getValue() == key).findFirst().orElseThrow().getKey();
    }
}
