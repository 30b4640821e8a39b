package io.actionlog.http;

import io.actionlog.auth.Caller;
import io.actionlog.store.ActionStore;
import io.actionlog.store.Backup;
import io.actionlog.store.Retention;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.List;
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

    /**
     * @param keptFiles files of the data directory a backup copies whole (the credential files)
     * @param scratch   gives a new directory path for a backup's scratch files
     */
    public AdminApi(ActionStore store, Retention retention, Path dataDir, List<String> keptFiles,
                    Supplier<Path> scratch, String version, SendBudget sends) {
        this.store = store;
        this.retention = retention;
        this.dataDir = dataDir;
        this.keptFiles = keptFiles;
        this.scratch = scratch;
        this.version = version;
        this.sends = sends;
    }

    /** {@code GET /api/v1/admin/backup/[?since=N]}: a consistent copy of the data directory as a tar (see {@link Backup}). */
    public void backup(RoutingContext ctx) {
        requireAdmin(ctx);
        long since = since(QueryParams.last(ctx.queryParams(), "since"));
        Replies.after(ctx, ctx.vertx().executeBlocking(() -> take(since), false).toCompletionStage(), backup -> {
            // Scratch files go when the response is done, or when the client goes away before (the context's end
            // handlers: setting the response's own would replace those of the access log and the download).
            ctx.addEndHandler(v -> backup.close());
            ctx.response().setStatusCode(200).putHeader("Content-Type", "application/x-tar")
                    .putHeader("Content-Disposition", "attachment; filename=\"actionlog-backup-"
                            + backup.journalSize() + ".tar\"");
            ChunkedDownload.start(ctx, sends, backup.archive()::next);
        });
    }

    /**
     * {@code POST /api/v1/admin/retention/}: runs the retention policy now and answers what it expired and
     * reclaimed ({@link io.actionlog.store.RetentionReport}).
     */
    public void retention(RoutingContext ctx) {
        requireAdmin(ctx);
        Replies.after(ctx, retention.run("admin"), report -> ctx.response().setStatusCode(200)
                .putHeader("Content-Type", "application/json").end(report.json().encode()));
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
