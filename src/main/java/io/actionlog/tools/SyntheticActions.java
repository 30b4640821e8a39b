package io.actionlog.tools;

import io.actionlog.action.ActionData;
import io.actionlog.action.NewAction;
import io.actionlog.action.State;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * A deterministic stream of realistic actions for load tests: the same seed gives the same actions. 80 % end in
 * Success, 15 % in Failed, 5 % are still In progress; start dates rise over 30 days (with a little jitter, as
 * concurrent recorders produce); 10,000 objects, each in one of 500 stacks; 1,000 users with three addresses each;
 * about 240 bytes of texts per action (uuid included), about 510 bytes as an NDJSON line with its keys and dates.
 */
public final class SyntheticActions {
    public static final long DAYS = 30;
    public static final int OBJECTS = 10_000;
    public static final int USERS = 1_000;
    /** People call from a few addresses each (home, office, a CI runner), not from a new one every time. */
    public static final int IPS_PER_USER = 3;
    private static final String[] ACTIONS = {"Service Create", "Service Start", "Service Stop", "Service Redeploy",
            "Service Scale", "Container Start", "Container Stop", "Node Deploy", "Stack Create", "Stack Redeploy"};
    private static final String[] METHODS = {"POST", "POST", "POST", "PATCH", "DELETE", "PUT"};
    private static final String[] LOCATIONS = {"Madrid, ES", "New York, US", "Tallinn, EE", "Berlin, DE",
            "Tokyo, JP", "Sao Paulo, BR"};
    private static final String[] AGENTS = {"tutum-cli/0.21.1 Python/2.7.6", "Mozilla/5.0 Chrome/120.0",
            "python-requests/2.31.0", "docker-cloud-cli/1.0.9"};

    private final Random random;
    private final long firstStart;
    private final long step;
    private final long count;
    private long made;

    /** @param firstStart start date of the first action, epoch microseconds */
    public SyntheticActions(long seed, long count, long firstStart) {
        this.random = new Random(seed);
        this.count = count;
        this.firstStart = firstStart;
        this.step = Math.max(1, DAYS * 86_400_000_000L / Math.max(1, count));
    }

    public boolean hasNext() {
        return made < count;
    }

    public NewAction next() {
        long i = made++;
        long start = firstStart + i * step - (random.nextInt(8) == 0 ? random.nextInt(2_000_000) : 0);
        int roll = random.nextInt(100);
        State state = roll < 80 ? State.SUCCESS : roll < 95 ? State.FAILED : State.IN_PROGRESS;
        int object = random.nextInt(OBJECTS);
        String kind = object % 3 == 0 ? "container" : "service";
        String action = ACTIONS[random.nextInt(ACTIONS.length)];
        String objectUri = "/api/v1/" + kind + "/" + uuidOf("object", object) + "/";
        String stackUri = "/api/v1/stack/" + uuidOf("stack", object % 500) + "/";
        long end = state.isTerminal() ? start + 1_000_000L + random.nextInt(120_000_000) : Long.MIN_VALUE;
        String error = state == State.FAILED ? "Timeout waiting for the node to answer (attempt " + (1 + random.nextInt(3)) + ")" : "";
        String metadata = state == State.SUCCESS ? "{\"containers\":" + (1 + random.nextInt(9)) + "}" : "{}";
        UUID uuid = new UUID((random.nextLong() & ~0xF000L) | 0x4000L,
                (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L);
        int user = random.nextInt(USERS);
        ActionData data = new ActionData(uuid, "user" + user, action,
                METHODS[random.nextInt(METHODS.length)], objectUri + action.substring(action.indexOf(' ') + 1)
                .toLowerCase() + "/", objectUri, List.of(stackUri),
                "10." + (user >>> 8) + "." + (user & 255) + "." + (1 + random.nextInt(IPS_PER_USER)),
                LOCATIONS[random.nextInt(LOCATIONS.length)], AGENTS[random.nextInt(AGENTS.length)],
                "{\"target_num_containers\":" + random.nextInt(10) + "}", start, random.nextInt(10) != 0, null,
                "generator");
        return new NewAction(data, state, end, "", error, metadata, Set.of());
    }

    /** Stable short ids for objects and stacks, so the same object keeps its URI across runs. */
    private static String uuidOf(String kind, int n) {
        return UUID.nameUUIDFromBytes((kind + n).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString()
                .substring(0, 8);
    }
}
