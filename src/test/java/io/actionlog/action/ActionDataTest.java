package io.actionlog.action;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actionlog.journal.Entry;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The fields of the list live in {@link ActionData} once; the records of an action add only the id and the fields
 * that later entries change. A field added to the list and to none of the records, or to a record beside
 * ActionData, fails here.
 */
class ActionDataTest {
    /** What StateChanged and LogAppended entries change after the creation. */
    private static final Set<ActionField> CHANGING = Set.of(ActionField.STATE, ActionField.END_DATE,
            ActionField.LOGS, ActionField.ERROR, ActionField.METADATA);

    @Test
    void actionDataHoldsTheFieldsNoLaterEntryChangesInListOrder() {
        List<String> kept = Arrays.stream(ActionField.values())
                .filter(f -> f != ActionField.ID && !CHANGING.contains(f))
                .map(ActionDataTest::componentName).toList();
        assertEquals(kept, components(ActionData.class));
    }

    @Test
    void theActionTheEntryAndTheNewActionHoldEveryFieldOnceWithTheirData() {
        List<String> all = Arrays.stream(ActionField.values()).map(ActionDataTest::componentName).sorted().toList();
        assertEquals(all, fields(Action.class, Set.of()));
        // Besides the fields, a Created entry says whether retention carried it forward.
        assertEquals(all, fields(Entry.Created.class, Set.of("carried")));
        List<String> allButId = all.stream().filter(n -> !n.equals("id")).toList();
        assertEquals(allButId, fields(NewAction.class, Set.of("supplied")));
    }

    /** The record's components with its ActionData spelt out, sorted; {@code besides} left out. */
    private static List<String> fields(Class<?> record, Set<String> besides) {
        List<String> names = new ArrayList<>();
        for (String name : components(record)) {
            if (name.equals("data")) {
                names.addAll(components(ActionData.class));
            } else if (!besides.contains(name)) {
                names.add(name);
            }
        }
        return names.stream().sorted().toList();
    }

    private static List<String> components(Class<?> record) {
        return Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).toList();
    }

    /** USER_AGENT is userAgent. */
    private static String componentName(ActionField field) {
        String[] words = field.name().toLowerCase(Locale.ROOT).split("_");
        StringBuilder name = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            name.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        }
        return name.toString();
    }
}
