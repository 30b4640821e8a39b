package io.actionlog.server;

import io.actionlog.action.ActionData;
import io.actionlog.action.NewAction;
import io.actionlog.action.State;
import io.actionlog.auth.CredentialChange;
import io.actionlog.auth.CredentialStore;
import io.actionlog.store.ActionStore;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * The server audits its own credentials: each change the credential store logged becomes an action in the journal,
 * recorded through the writer like any other, so auditors and admins read it on both faces and the streams.
 * <ul>
 * <li>{@code user} and {@code recorded_by}: who made the change, {@code cli} or {@code actionlog} (the bootstrap
 * admin); no credential can have either name, so no {@code user} credential reads these actions and no recorder's
 * action can pass for one.</li>
 * <li>{@code action}: {@code Credential Add}, {@code Credential Rotate} or {@code Credential Remove};
 * {@code object}: {@code /credentials/<name>/}; {@code metadata}: {@code {"role":…}}, with {@code previous_role}
 * when a rotation changed it, and {@code node} on a cluster node; never the key nor its hash.</li>
 * <li>{@code state} Success, {@code start_date} and {@code end_date} the time of the change.</li>
 * <li>{@code uuid}: derived from the change ({@link CredentialChange#uuid}), so recording it again after a crash
 * before the log was trimmed is an idempotent repeat.</li>
 * </ul>
 * Each change is also logged at INFO. With {@code audit.credential_changes=log} the changes are only logged, for a
 * journal that must hold nothing but what recorders sent. Called on a worker thread (at start, then by the reload
 * timer); it waits for the writer.
 */
final class CredentialAudit implements CredentialStore.Recorder {
    private static final Logger LOG = Logger.getLogger(CredentialAudit.class.getName());
    /** Long enough for a writer under load; short enough that a stuck journal does not stall credential reloads. */
    private static final long WAIT_SECONDS = 10;

    private final ActionStore store;
    private final boolean journal;
    /** The cluster node whose credential store changed, named in the metadata; null on a single host. */
    private final String node;

    /** {@code journal}: configuration key audit.credential_changes is {@code journal}; {@code node}: see above. */
    CredentialAudit(ActionStore store, boolean journal, String node) {
        this.store = store;
        this.journal = journal;
        this.node = node;
    }

    @Override
    public void record(List<CredentialChange> changes) throws IOException {
        if (!journal) {
            changes.forEach(c -> LOG.info(c.describe()));
            return;
        }
        List<NewAction> actions = changes.stream().map(this::action).toList();
        List<Object> outcomes;
        try {
            outcomes = store.recordAll(actions).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while recording credential changes", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("credential changes not recorded in the journal: " + e, e);
        }
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i) instanceof ActionStore.Recorded r && r.created()) {
                LOG.info(changes.get(i).describe());
            } else if (!(outcomes.get(i) instanceof ActionStore.Recorded)) {
                throw new IOException("credential change " + changes.get(i).seq() + " not recorded: " + outcomes.get(i));
            }
        }
    }

    static String object(String credential) {
        return "/credentials/" + credential + "/";
    }

    private NewAction action(CredentialChange c) {
        long at = ChronoUnit.MICROS.between(java.time.Instant.EPOCH, c.time());
        JsonObject metadata = new JsonObject().put("role", c.role().label());
        if (c.previousRole() != null) {
            metadata.put("previous_role", c.previousRole().label());
        }
        if (node != null) {
            // Each node keeps its own copy of the credentials file: say whose changed.
            metadata.put("node", node);
        }
        ActionData data = new ActionData(c.uuid(), c.by(), c.op().action, "", "", object(c.name()), List.of(), "",
                "unknown", "", "", at, true, null, c.by());
        return new NewAction(data, State.SUCCESS, at, "", "", metadata.encode(), Set.of("uuid"));
    }
}
