package io.actionlog.http.waldur;

import io.actionlog.http.HttpError;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Page numbers, page sizes and the {@code Link} header, as Django REST framework's PageNumberPagination with
 * Waldur's LinkHeaderPagination answer them: numbers are read like Python's {@code int()} (surrounding blanks
 * and a sign allowed); a bad page size silently means the default, while a bad page is a 404.
 */
final class Paging {
    static final int DEFAULT_SIZE = 10;
    static final int MAX_SIZE = 300;
    /** Stands for {@code page=last} until the number of pages is known. */
    static final long LAST = -1;

    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

    private Paging() {
    }

    /** {@code page_size}: 0, negative, absent or not a number is the default; above the maximum is the maximum. */
    static int pageSize(String raw) {
        BigInteger n = integer(raw);
        if (n == null || n.signum() <= 0) {
            return DEFAULT_SIZE;
        }
        return n.compareTo(BigInteger.valueOf(MAX_SIZE)) > 0 ? MAX_SIZE : n.intValue();
    }

    /** {@code page}: 1 when absent or empty, {@link #LAST} for "last", else a positive number; 404 otherwise. */
    static long requestedPage(String raw) {
        if (raw == null || raw.isEmpty()) {
            return 1;
        }
        if (raw.equals("last")) {
            return LAST;
        }
        BigInteger n = integer(raw);
        if (n == null || n.signum() <= 0 || n.bitLength() > 31) {
            throw invalidPage();
        }
        return n.longValue();
    }

    static int pages(long total, int size) {
        return (int) Math.max(1, (total + size - 1) / size);
    }

    static HttpError invalidPage() {
        return new HttpError(404, "Invalid page.");
    }

    /**
     * The Link header of page {@code page} of {@code pages}: first, prev, next, last, with every other query key
     * kept; a link to page 1 carries no {@code page} at all.
     */
    static String links(String base, QueryString query, int page, int pages) {
        List<String> links = new ArrayList<>(4);
        links.add(link(base, query, 1, "first"));
        if (page > 1) {
            links.add(link(base, query, page - 1, "prev"));
        }
        if (page < pages) {
            links.add(link(base, query, page + 1, "next"));
        }
        links.add(link(base, query, pages, "last"));
        return String.join(", ", links);
    }

    private static String link(String base, QueryString query, int page, String rel) {
        String q = query.with("page", page == 1 ? null : Integer.toString(page));
        return "<" + base + (q.isEmpty() ? "" : "?" + q) + ">; rel=\"" + rel + "\"";
    }

    private static BigInteger integer(String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.strip();
        return INTEGER.matcher(s).matches() ? new BigInteger(s) : null;
    }
}
