package io.actionlog.http;

import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Query parameters read as Django reads them: names compared exactly ({@code ?Limit=1} is not {@code limit}), where
 * Vert.x's map ignores case.
 */
public final class QueryParams {
    private QueryParams() {
    }

    /** Every value of a parameter, in the order given. */
    public static List<String> all(MultiMap p, String name) {
        List<String> values = new ArrayList<>(1);
        for (Map.Entry<String, String> e : p) {
            if (e.getKey().equals(name)) {
                values.add(e.getValue());
            }
        }
        return values;
    }

    /**
     * A parameter's last value, as Django's {@code QueryDict.get} answers (Vert.x's {@code get} gives the first), so
     * a client that appends a parameter to a URL that has it already gets what it appended.
     */
    public static String last(MultiMap p, String name) {
        List<String> values = all(p, name);
        return values.isEmpty() ? null : values.get(values.size() - 1);
    }
}
