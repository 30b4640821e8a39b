package io.actionlog.store;

import io.actionlog.action.NewAction;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a write goes to be applied: straight to this host's writer, or first through a log shared by several nodes,
 * whose every node then applies it (see the cluster package). Either way the reply completes once the command is
 * applied to the local journal and index and made durable, with the outcome the apply decided: the command's result
 * ({@link ActionChanges#apply}) or the {@link io.actionlog.action.ActionException} that refused it.
 */
public interface CommandPath {
    CompletableFuture<Object> submit(WriteCommand command);

    /** The actions of one bulk request as the commands this path takes (a shared log bounds a command's size). */
    default List<List<NewAction>> split(List<NewAction> actions) {
        return List.of(actions);
    }

    /** The single host: commands go to the writer, which applies them. */
    static CommandPath local(Writer writer, ActionChanges changes) {
        return command -> writer.submit(appender -> changes.apply(command, appender));
    }
}
