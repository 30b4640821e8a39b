package io.actionlog.http;

import io.vertx.core.MultiMap;
import java.util.List;

/** Query parameters read as the Tutum face's Django reads them. */
public final class QueryParams {
    private QueryParams() {
    }

    /**
     * A parameter's last value, as Django's {@code QueryDict.get} answers (Vert.x's {@code get} gives the first), so
     * a client that appends a parameter to a URL that has it already gets what it appended.
     */
    public static String last(MultiMap p, String name) {
        List<String> values = p.getAll(name);
        return values.isEmpty() ? null : values.get(values.size() - 1);
    }
}
