package io.actionlog.logs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * {@code log.format=json}: one JSON object a line, for log shippers: {@code time} (ISO 8601, UTC), {@code level},
 * {@code logger}, {@code message}, {@code error} (the stack trace) when there is one, and the fields of a record
 * that carries a map as its parameter (the access log's {@code method}, {@code path}, {@code status}...).
 */
public final class JsonLogFormatter extends Formatter {
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public String format(LogRecord record) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", Instant.ofEpochMilli(record.getMillis()).toString());
            g.writeStringField("level", record.getLevel().getName());
            g.writeStringField("logger", record.getLoggerName());
            g.writeStringField("message", formatMessage(record));
            if (record.getParameters() != null && record.getParameters().length == 1
                    && record.getParameters()[0] instanceof Map<?, ?> fields) {
                for (Map.Entry<?, ?> e : fields.entrySet()) {
                    g.writeFieldName(String.valueOf(e.getKey()));
                    if (e.getValue() instanceof Number n) {
                        g.writeNumber(n.longValue());
                    } else {
                        g.writeString(String.valueOf(e.getValue()));
                    }
                }
            }
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                g.writeStringField("error", trace.toString());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.append('\n').toString();
    }
}
