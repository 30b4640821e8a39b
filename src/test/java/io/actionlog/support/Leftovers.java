package io.actionlog.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a server started in this JVM may leave behind: its threads (the server's own are named {@code actionlog-...},
 * its Kafka clients' name {@code actionlog-<node>-...}, Vert.x's {@code vert.x-...} and {@code vertx-...}) and the
 * files of its data directory it holds open (read from /proc/self/fd). Threads are compared with those alive when
 * this was made, so that what other servers of the JVM run is not counted.
 */
public final class Leftovers {
    private final Set<Thread> before;
    private final Path dir;

    private Leftovers(Set<Thread> before, Path dir) {
        this.before = before;
        this.dir = dir;
    }

    /** Notes the threads alive now; {@code dir}: the data directory whose open files count. */
    public static Leftovers from(Path dir) throws IOException {
        return new Leftovers(Set.copyOf(Thread.getAllStackTraces().keySet()), dir.toRealPath());
    }

    /** Returns once nothing is left, waiting up to {@code seconds} for what stops; an AssertionError names what is. */
    public void awaitNone(long seconds) throws InterruptedException {
        Await.until(this::left, List::isEmpty, seconds, "the threads and open files of the failed start gone");
    }

    private List<String> left() {
        List<String> threads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !before.contains(t) && isServers(t.getName()))
                .map(t -> "thread " + t.getName()).toList();
        return Stream.concat(threads.stream(), openFiles().stream()).toList();
    }

    private static boolean isServers(String name) {
        return name.startsWith("vert.x-") || name.startsWith("vertx-") || name.contains("actionlog-");
    }

    private List<String> openFiles() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(Leftovers::target).filter(p -> p != null && p.startsWith(dir))
                    .map(p -> "open file " + dir.relativize(p)).toList();
        } catch (IOException e) {
            throw new AssertionError("the open files of this process are not listed in /proc/self/fd", e);
        }
    }

    /** Where a descriptor points, or null when it closed while being read or is no file. */
    private static Path target(Path fd) {
        try {
            return Files.readSymbolicLink(fd);
        } catch (IOException e) {
            return null;
        }
    }
}
