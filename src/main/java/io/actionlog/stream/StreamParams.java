package io.actionlog.stream;

import io.actionlog.http.HttpError;
import java.util.Locale;

/** The query parameters of the streams, read strictly: a value that is present but unusable is an error. */
final class StreamParams {
    private StreamParams() {
    }

    /**
     * {@code tail}: a whole number of lines, 0 or more, capped at {@code max} however many digits it has; null
     * when unusable.
     */
    static Integer tail(String value, int fallback, int max) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        if (!value.matches("\\d+")) {
            return null;
        }
        String digits = value.replaceFirst("^0+(?=\\d)", "");
        return digits.length() > 9 ? max : Math.min(Integer.parseInt(digits), max);
    }

    /** {@code true}/{@code false} in any case (also {@code 1}/{@code 0}); null when unusable. */
    static Boolean flag(String value, boolean fallback) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> null;
        };
    }

    /**
     * The first journal position to replay for an SSE {@code Last-Event-ID} (the position of the last event the
     * client saw), or -1 to start live. Ids are positions of published entries, counted from 0, so -1 names the
     * point before the first one: the whole journal. An id at or past the horizon cannot come from this server's
     * journal: a 400 rather than a silent jump.
     */
    static long resumeFrom(String lastEventId, long horizon) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return -1;
        }
        long id;
        try {
            id = Long.parseLong(lastEventId.trim());
        } catch (NumberFormatException e) {
            throw HttpError.badRequest("Last-Event-ID: expected the id of an event of this stream, got " + lastEventId);
        }
        if (id < -1 || id >= horizon) {
            throw HttpError.badRequest("Last-Event-ID: " + id + " is not the id of an event of this stream");
        }
        return id + 1;
    }
}
