package io.actionlog.http;

import io.actionlog.auth.Caller;
import io.actionlog.store.ActionStore;
import io.actionlog.store.Backup;
import io.actionlog.store.Retention;
import io.actionlog.store.RetentionReport;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/** Handlers of the admin routes under {@code /api/v1/admin/}; the route table is in {@code Routes}. */
public final class AdminApi {
    private final ActionStore store;
    private final Retention retention;
    private final Path dataDir;
    private final List<String> keptFiles;
    private final Supplier<Path> scratch;
    private final String version;
    private final SendBudget sends;
    private final AdminAudit audit;

    /**
     * @param keptFiles files of the data directory a backup copies whole (the credential files)
     * @param scratch   gives a new directory path for a backup's scratch files
     * @param journaled whether backups and retention runs are recorded in the journal ({@link AdminAudit})
     * @param node      the cluster node's name, or null on a single host
     */
    public AdminApi(ActionStore store, Retention retention, Path dataDir, List<String> keptFiles,
                    Supplier<Path> scratch, String version, SendBudget sends, boolean journaled,
                    ClientAddress clients, Function<String, String> locate, String node) {
        this.store = store;
        this.retention = retention;
        this.dataDir = dataDir;
        this.keptFiles = keptFiles;
        this.scratch = scratch;
        this.version = version;
        this.sends = sends;
        this.audit = new AdminAudit(store, journaled, clients, locate, node);
    }

    /**
     * {@code GET /api/v1/admin/backup/[?since=N]}: a consistent copy of the data directory as a tar (see {@link Backup}),
     * recorded in the journal before it is taken ({@link AdminAudit}).
     */
    public void backup(RoutingContext ctx) {
        requireAdmin(ctx);
        long since = since(QueryParams.last(ctx.queryParams(), "since"));
        CompletionStage<Taken> taken = started(ctx, AdminAudit.BACKUP, new JsonObject().put("since", since))
                .thenCompose(started -> ctx.vertx().executeBlocking(() -> take(since), false).toCompletionStage()
                        .handle((backup, failure) -> {
                            if (failure != null) {
                                audit.end(started, reason(failure), new JsonObject());
                                throw new CompletionException(unwrapped(failure));
                            }
                            return new Taken(backup, started);
                        }));
        Replies.after(ctx, taken, t -> {
            Backup backup = t.backup();
            if (ctx.response().closed() || ctx.response().ended()) {
                // The context's end handlers ran when the client left, while the copy was taken: one added now
                // would never run. Both are seen on this event loop, so the check cannot miss a close.
                backup.close();
                audit.end(t.started(), "the download ended after 0 bytes",
                        new JsonObject().put("journal_size", backup.journalSize()).put("bytes", 0));
                return;
            }
            // The record ends when the response is done, or when the client goes away before (the context's end
            // handlers: setting the response's own would replace those of the access log and the download).
            ctx.addEndHandler(ended -> {
                // Whole only when the archive's last byte went out: a read that failed before the first byte is
                // answered with an error instead, one after it cuts the connection.
                // An error answered instead of the archive sent none of it.
                long sent = ctx.response().getStatusCode() == 200 ? ctx.response().bytesWritten() : 0;
                boolean whole = ended.succeeded() && ctx.response().ended() && ctx.response().getStatusCode() == 200;
                audit.end(t.started(), whole ? null : "the download ended after " + sent + " bytes",
                        new JsonObject().put("journal_size", backup.journalSize()).put("bytes", sent));
            });
            ctx.response().setStatusCode(200).putHeader("Content-Type", "application/x-tar")
                    .putHeader("Content-Disposition", "attachment; filename=\"actionlog-backup-"
                            + backup.journalSize() + ".tar\"");
            // Scratch files go once the response is done and no read of them runs.
            ChunkedDownload.start(ctx, sends, backup.archive()::next, backup::close);
        });
    }

    /** A backup taken once its action was recorded. */
    private record Taken(Backup backup, AdminAudit.Started started) {
    }

    /** The operation's action recorded In progress, or a 503: an operation the journal cannot record does not run. */
    private CompletionStage<AdminAudit.Started> started(RoutingContext ctx, String what, JsonObject metadata) {
        return audit.start(ctx, what, metadata).handle((started, failure) -> {
            if (failure != null) {
                throw new CompletionException(new HttpError(503, "the " + what.toLowerCase(Locale.ROOT)
                        + " was not started: its record could not be written to the journal ("
                        + reason(failure) + ")"));
            }
            return started;
        });
    }

    /**
     * {@code POST /api/v1/admin/retention/}: runs the retention policy now and answers what it expired and
     * reclaimed ({@link RetentionReport}); recorded in the journal as it starts and ends.
     */
    public void retention(RoutingContext ctx) {
        requireAdmin(ctx);
        CompletionStage<RetentionReport> run = started(ctx, AdminAudit.RETENTION, new JsonObject())
                .thenCompose(started -> retention.run("admin").whenComplete((report, failure) -> audit.end(started,
                        failure == null ? null : reason(failure), failure == null ? summary(report) : new JsonObject())));
        Replies.after(ctx, run, report -> ctx.response().setStatusCode(200)
                .putHeader("Content-Type", "application/json").end(report.json().encode()));
    }

    /** What a retention run did, in its action's metadata: the report without the names of the files dropped. */
    private static JsonObject summary(RetentionReport report) {
        JsonObject json = report.json();
        JsonObject dropped = json.getJsonObject("dropped");
        dropped.put("files", dropped.getJsonArray("files").size());
        return json;
    }

    private static String reason(Throwable failure) {
        Throwable cause = unwrapped(failure);
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    private static Throwable unwrapped(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private Backup take(long since) throws java.io.IOException {
        try {
            return Backup.take(store, dataDir, keptFiles, since, scratch.get(), version);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest(e.getMessage());
        }
    }

    private static void requireAdmin(RoutingContext ctx) {
        Caller caller = Callers.of(ctx);
        if (!caller.role().manages()) {
            throw Callers.notAllowed(ctx, caller);
        }
    }

    private static long since(String text) {
        if (text == null) {
            return 0;
        }
        try {
            long since = Long.parseLong(text);
            if (since >= 0) {
                return since;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw HttpError.badRequest("since: expected the journal_size of an earlier backup's manifest, got " + text);
    }
}
