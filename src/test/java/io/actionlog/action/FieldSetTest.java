package io.actionlog.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FieldSetTest {
    private static final String[] NAMES = {"uuid", "user", "action", "state"};

    @Test
    void holdsExactlyTheGivenNamesInTheOrderOfTheList() {
        Set<String> set = FieldSet.of(NAMES, List.of("state", "uuid"), IllegalArgumentException::new);
        assertTrue(set.contains("uuid"));
        assertTrue(set.contains(new String("state".toCharArray())), "equal names count, not only the same string");
        assertFalse(set.contains("user"));
        assertFalse(set.contains("other"));
        assertFalse(set.contains(null));
        assertEquals(2, set.size());
        assertEquals(List.of("uuid", "state"), new ArrayList<>(set));
        assertEquals(Set.of("uuid", "state"), set);
    }

    @Test
    void refusesANameOutsideTheListAndAnyChange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FieldSet.of(NAMES, List.of("user", "nope", "other"), IllegalArgumentException::new));
        assertEquals("nope", e.getMessage(), "the first name outside the list");
        Set<String> set = FieldSet.of(NAMES, List.of("user"), IllegalArgumentException::new);
        assertThrows(UnsupportedOperationException.class, () -> set.add("uuid"));
        assertThrows(UnsupportedOperationException.class, () -> set.remove("user"));
        assertTrue(FieldSet.of(NAMES, List.of(), IllegalArgumentException::new).isEmpty());
    }
}
