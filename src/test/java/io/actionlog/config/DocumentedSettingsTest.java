package io.actionlog.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's settings tables are what operators set the server by: a key added, renamed or given another default
 * in the code must show there the same, or the documentation silently lies.
 */
class DocumentedSettingsTest {
    /** A table row whose first cell is a dotted key in backticks: the key and its default cell. */
    private static final Pattern ROW = Pattern.compile("(?m)^\\| `([a-z_]+\\.[a-z_.]+\\*?)` \\| ([^|]*) \\|");
    /** How the README writes a setting without a default value. */
    private static final List<String> NO_VALUE = List.of("unset", "empty", "none");

    @Test
    void everySettingIsDocumentedWithItsDefault() throws IOException {
        Map<String, String> documented = documented();
        List<String> wrong = new ArrayList<>();
        Config.DEFAULTS.forEach((key, value) -> {
            String cell = documented.get(key);
            if (cell == null) {
                wrong.add(key + ": not in the README");
            } else if (value == null ? !NO_VALUE.contains(cell) && !key.equals("kafka.node") : !cell.equals(value)) {
                wrong.add(key + ": README says " + cell + ", the code " + value);
            }
        });
        assertEquals(List.of(), wrong);
    }

    @Test
    void theReadmeNamesNoSettingTheServerDoesNotKnow() throws IOException {
        List<String> unknown = new ArrayList<>();
        for (String key : documented().keySet()) {
            boolean group = key.endsWith("*") && knownGroup(key.substring(0, key.length() - 1));
            if (!group && !Config.DEFAULTS.containsKey(key)) {
                unknown.add(key);
            }
        }
        assertEquals(List.of(), unknown);
        assertTrue(documented().size() >= Config.DEFAULTS.size(), "the tables were not found");
    }

    /** A row such as {@code stream.*} stands for the keys under it. */
    private static boolean knownGroup(String prefix) {
        return prefix.equals(Config.KAFKA_CLIENT_PREFIX)
                || Config.DEFAULTS.keySet().stream().anyMatch(k -> k.startsWith(prefix));
    }

    /** Every settings row of the README, its default cell without backticks. */
    private static Map<String, String> documented() throws IOException {
        Map<String, String> rows = new LinkedHashMap<>();
        Matcher m = ROW.matcher(Files.readString(Path.of("README.md")));
        while (m.find()) {
            rows.putIfAbsent(m.group(1), m.group(2).strip().replace("`", ""));
        }
        return rows;
    }
}
