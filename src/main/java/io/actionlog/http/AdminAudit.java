package io.actionlog.http;

import io.actionlog.action.Action;
import io.actionlog.action.ActionData;
import io.actionlog.action.Dates;
import io.actionlog.action.IpAddresses;
import io.actionlog.action.NewAction;
import io.actionlog.action.State;
import io.actionlog.action.StateChange;
import io.actionlog.auth.Caller;
import io.actionlog.auth.CredentialChange;
import io.actionlog.index.Order;
import io.actionlog.index.Query;
import io.actionlog.index.Row;
import io.actionlog.journal.Entry;
import io.actionlog.store.ActionReader;
import io.actionlog.store.ActionStore;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server audits what an admin takes from it or removes: a backup (every action, the credentials file and the
 * checkpoint signing key) and a retention run asked for. Each is an action in the journal, recorded In progress
 * before the operation starts, so that it is there whatever happens next, and moved to Success or Failed when it
 * ends, with what it did in its metadata. {@code user} is the admin's credential name, {@code recorded_by}
 * {@code actionlog}, {@code ip} the client's address as the access log has it; a user credential of the same name
 * reads them as its own, as it would any action recorded for it. An operation whose action cannot be recorded does
 * not start (503): an admin must not take the data unseen because the journal refused a write. With
 * {@code audit.admin_operations=log} they are only logged, for a journal that must hold nothing but what recorders
 * sent. Every start and end is logged at INFO either way.
 */
public final class AdminAudit {
    static final String BACKUP = "Backup Download";
    static final String RETENTION = "Retention Run";
    /** Rows a start's look for unfinished records reads at a time. */
    private static final int LEFTOVERS_READ = 10_000;
    private static final Logger LOG = Logger.getLogger(AdminAudit.class.getName());
    /** Of the client's User-Agent header, kept as recorders' user agents are: a few hundred chars say who it was. */
    private static final int USER_AGENT_CHARS = 512;

    private final ActionStore store;
    private final boolean journal;
    private final ClientAddress clients;
    private final Function<String, String> locate;
    /** The cluster node that records them, in their metadata; null on a single host. */
    private final String node;

    /** An operation under way: its action's id (0 when it is only logged), who asked, and its metadata so far. */
    record Started(long id, String what, String by, JsonObject metadata) {
    }

    AdminAudit(ActionStore store, boolean journal, ClientAddress clients, Function<String, String> locate,
               String node) {
        this.store = store;
        this.journal = journal;
        this.clients = clients;
        this.locate = locate;
        this.node = node;
    }

    /** Records {@code what} as started by the request's caller; the future fails when the journal refused it. */
    CompletableFuture<Started> start(RoutingContext ctx, String what, JsonObject metadata) {
        Caller caller = Callers.of(ctx);
        String ip = clients.address(ctx.request());
        LOG.info(what + " by " + caller.name() + " from " + ip + ": " + metadata.encode());
        if (!journal) {
            return CompletableFuture.completedFuture(new Started(0, what, caller.name(), metadata));
        }
        long now = Dates.now();
        String agent = ctx.request().getHeader("User-Agent");
        agent = agent == null ? "" : agent.length() > USER_AGENT_CHARS ? agent.substring(0, USER_AGENT_CHARS) : agent;
        boolean address = IpAddresses.valid(ip);
        // The path the route matched: the request's own may hold dot segments or repeated slashes, past the
        // limits recorded actions are held to.
        String path = ctx.normalizedPath();
        ActionData data = new ActionData(UUID.randomUUID(), caller.name(), what, ctx.request().method().name(),
                path, path, List.of(), address ? ip : "",
                address ? locate.apply(ip) : "unknown", agent, "", now, true, null, CredentialChange.SERVER);
        if (node != null) {
            // Each node ends its own at a start (see endUnfinished): say whose it is.
            metadata.put("node", node);
        }
        NewAction action = new NewAction(data, State.IN_PROGRESS, Entry.NO_TIME, "", "", metadata.encode(), Set.of());
        return store.record(action).thenApply(r -> new Started(r.id(), what, caller.name(), metadata));
    }

    /** Moves the operation's action to Success, or Failed with {@code error}; {@code more} joins its metadata. */
    void end(Started started, String error, JsonObject more) {
        JsonObject metadata = started.metadata().copy().mergeIn(more);
        LOG.info(started.what() + " by " + started.by() + (error == null ? " done" : " failed: " + error) + ": "
                + metadata.encode());
        if (started.id() == 0) {
            return;
        }
        StateChange change = new StateChange(error == null ? State.SUCCESS : State.FAILED, error == null ? "" : error,
                metadata.encode(), Dates.now());
        store.change(started.id(), change).whenComplete((position, failure) -> {
            if (failure != null) {
                LOG.log(Level.WARNING, "the end of " + started.what() + " by " + started.by() + " (action id "
                        + started.id() + ") was not recorded; it stays In progress", failure);
            }
        });
    }

    /**
     * At a start: the records of this server (or node) still In progress are of operations the process that ran them
     * did not end (it stopped, or this journal is a backup's copy taken while it ran): Failed, saying so, rather than
     * In progress for ever, which no client may change. Recorders' lookalikes (any number: a recorder may send
     * many) are read only as far as their Created entry. Waits for the writer; the first failure is thrown.
     */
    public static int endUnfinished(ActionStore store, String node) throws Exception {
        int ended = 0;
        for (String what : List.of(BACKUP, RETENTION)) {
            for (Action a : unfinished(store, what, node)) {
                LOG.warning(what + " by " + a.data().user() + " (action id " + a.id() + ") did not end: the server "
                        + "stopped before it ended, or this journal is a copy taken while it ran; recorded as Failed");
                store.change(a.id(), new StateChange(State.FAILED, "not ended: the server stopped before it ended, or "
                        + "this journal is a backup's copy taken while it ran", a.metadata(), Dates.now()))
                        .get(10, TimeUnit.SECONDS);
                ended++;
            }
        }
        return ended;
    }

    /** All read before any is changed: a change takes its row out of the In progress pages being read. */
    private static List<Action> unfinished(ActionStore store, String what, String node) {
        List<Action> found = new ArrayList<>();
        Query.Builder q = Query.builder();
        q.action = what;
        q.states = EnumSet.of(State.IN_PROGRESS);
        q.order = Order.ID_ASC;
        q.limit = LEFTOVERS_READ;
        for (List<Row> rows = store.list(q.build()).rows(); !rows.isEmpty(); rows = store.list(q.build()).rows()) {
            for (Row row : rows) {
                if (!store.reader().created(row).data().recordedBy().equals(CredentialChange.SERVER)) {
                    continue;
                }
                Action a = store.read(row, ActionReader.Depth.CURRENT);
                JsonObject metadata = a.metadata().isEmpty() ? new JsonObject() : new JsonObject(a.metadata());
                if (Objects.equals(node, metadata.getString("node"))) {
                    found.add(a);
                }
            }
            q.offset += rows.size();
        }
        return found;
    }
}
