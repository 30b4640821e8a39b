package io.actionlog.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FieldsTest {
    @Test
    void aUuidInCanonicalFormReadsAsJavaReadsItInEitherCase() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 100_000; i++) {
            UUID u = new UUID(random.nextLong(), random.nextLong());
            assertEquals(u, Fields.parseUuid(u.toString()));
            assertEquals(u, Fields.parseUuid(u.toString().toUpperCase(java.util.Locale.ROOT)));
        }
    }

    @Test
    void aUuidInAnyOtherFormIsRefused() {
        for (String s : new String[] {"", "not-a-uuid", "1-2-3-4-5", "552cf1e4-a8ab-45dd-b7be-d9d4b5f3086",
                "552cf1e4-a8ab-45dd-b7be-d9d4b5f308688", "552cf1e4xa8ab-45dd-b7be-d9d4b5f30868",
                "552cf1e4-a8ab-45dd-b7be-d9d4b5f3086g", "552cf1e4-a8ab-45dd-b7be-d9d4b5f3086\uFF11",
                "552cf1e4-a8ab-45dd-b7be-d9d4b5f3086\u0661", "+52cf1e4-a8ab-45dd-b7be-d9d4b5f30868",
                "552cf1e4-a8ab-45dd-b7be-d9d4b5f30-68"}) {
            assertNull(Fields.parseUuid(s), s);
        }
    }
}
