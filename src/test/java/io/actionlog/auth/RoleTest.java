package io.actionlog.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RoleTest {
    @Test
    void parseIgnoresCaseAndLabelRoundTrips() {
        assertEquals(Role.AUDITOR, Role.parse("Auditor"));
        for (Role r : Role.values()) {
            assertEquals(r, Role.parse(r.label().toUpperCase()));
        }
        assertEquals("recorder", Role.RECORDER.label());
    }

    @Test
    void unknownRoleNamesTheValueAndTheAllowedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Role.parse("root"));
        assertTrue(e.getMessage().contains("\"root\""), e.getMessage());
        assertTrue(e.getMessage().contains("user, auditor, recorder, admin"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Role.parse(null));
    }

    @Test
    void permissionsGrowFromUserToAdmin() {
        assertFalse(Role.USER.readsAll() || Role.USER.records() || Role.USER.manages());
        assertTrue(Role.AUDITOR.readsAll() && !Role.AUDITOR.records() && !Role.AUDITOR.manages());
        assertTrue(Role.RECORDER.readsAll() && Role.RECORDER.records() && !Role.RECORDER.manages());
        assertTrue(Role.ADMIN.readsAll() && Role.ADMIN.records() && Role.ADMIN.manages());
    }
}
