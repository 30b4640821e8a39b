package io.actionlog.action;

/**
 * The fields an action is recorded with: the one list that request validation, the journal's codec, the Tutum and
 * Waldur views, the bulk parser and the generator follow. A new field starts here and, when no later entry changes
 * it, as a component of {@link ActionData}; the switches over this enum (exhaustive, without a default) then fail
 * to compile until each of them says what the field means to it, and {@code ActionFieldsAgreeTest} checks the rest
 * (the codec's walks, the views' keys, validation).
 *
 * <p>The order is the order in which the journal writes a Created entry's fields (the flags byte first, then the
 * others as listed; {@link #USER_ACTION} lives in the flags byte only). Never reorder: existing journals are read
 * in this order.
 */
public enum ActionField {
    ID("id", Kind.NUMBER, 0, Writable.NO, false),
    UUID("uuid", Kind.UUID, 0, Writable.YES, false),
    USER("user", Kind.NAME, 150, Writable.YES, true),
    ACTION("action", Kind.NAME, 255, Writable.YES, true),
    METHOD("method", Kind.NAME, 16, Writable.YES, true),
    PATH("path", Kind.NAME, 2048, Writable.YES, false),
    OBJECT("object", Kind.NAME, 2048, Writable.YES, true),
    /** Its limit is the number of items; each item is held to {@link #PARENT_LENGTH}. */
    PARENTS("parents", Kind.NAMES, 100, Writable.YES, true),
    IP("ip", Kind.NAME, 64, Writable.YES, true),
    LOCATION("location", Kind.NAME, 255, Writable.YES, true),
    USER_AGENT("user_agent", Kind.TEXT, 1024, Writable.YES, true),
    BODY("body", Kind.TEXT_OR_JSON, 512 * 1024, Writable.YES, false),
    STATE("state", Kind.STATE, 0, Writable.YES, false),
    START_DATE("start_date", Kind.DATE, 0, Writable.YES, false),
    END_DATE("end_date", Kind.DATE, 0, Writable.YES, false),
    LOGS("logs", Kind.TEXT, 512 * 1024, Writable.YES, false),
    ERROR("error", Kind.TEXT, 64 * 1024, Writable.YES, false),
    METADATA("metadata", Kind.JSON_OBJECT, 64 * 1024, Writable.YES, false),
    USER_ACTION("is_user_action", Kind.BOOLEAN, 0, Writable.YES, false),
    RETRY_OF("retry_of", Kind.UUID, 0, Writable.NO, false),
    RECORDED_BY("recorded_by", Kind.NAME, 150, Writable.NO, true);

    /** How a field's value is given in a request and kept. */
    public enum Kind {
        /** Set by the server (the dense id). */
        NUMBER,
        /** The 8-4-4-4-12 hex form. */
        UUID,
        /** Text without control characters. */
        NAME,
        /** Any well-formed text. */
        TEXT,
        /** Text, or a JSON object or list kept as its compact text. */
        TEXT_OR_JSON,
        /** A list of non-empty names. */
        NAMES,
        /** One of the {@link State} labels. */
        STATE,
        /** A date as {@link Dates#parse} reads it; epoch microseconds once recorded. */
        DATE,
        BOOLEAN,
        /** A JSON object, kept as its compact text. */
        JSON_OBJECT
    }

    /** Whether a recorder may give the field; the others are the server's to set, and read-only to a request. */
    private enum Writable { YES, NO }

    /** The length of one of {@link #PARENTS}, in chars. */
    public static final int PARENT_LENGTH = 2048;

    private static final ActionField[] ALL = values();

    private final String apiName;
    private final Kind kind;
    private final int limit;
    private final boolean writable;
    private final boolean repeated;

    ActionField(String apiName, Kind kind, int limit, Writable writable, boolean repeated) {
        this.apiName = apiName;
        this.kind = kind;
        this.limit = limit;
        this.writable = writable == Writable.YES;
        this.repeated = repeated;
    }

    /** The key of the field in the Tutum API, in requests and replies alike. */
    public String apiName() {
        return apiName;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * The most chars a text may have (items for {@link #PARENTS}); 0 for fields whose form fixes their size (uuids,
     * states, dates, booleans, the id).
     */
    public int limit() {
        return limit;
    }

    /** Whether a recorder may give it in a {@code POST}; false for fields the server sets. */
    public boolean writable() {
        return writable;
    }

    /**
     * Whether its values repeat from action to action (names of users, actions, objects, addresses, ...): the
     * journal numbers such values and writes each in full only once.
     */
    public boolean repeated() {
        return repeated;
    }

    /** The fields in journal order, shared: callers must not change it. */
    static ActionField[] all() {
        return ALL;
    }

    /** The Tutum names of the fields a recorder may give, in journal order. */
    static String[] writableNames() {
        return java.util.Arrays.stream(ALL).filter(ActionField::writable).map(ActionField::apiName)
                .toArray(String[]::new);
    }

    /** The Tutum names of the fields only the server sets. */
    static java.util.Set<String> readOnlyNames() {
        return java.util.Arrays.stream(ALL).filter(f -> !f.writable).map(ActionField::apiName)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
}
