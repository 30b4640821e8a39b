package io.actionlog.tools;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code bench render --against OTHER}: this build's {@code bench render} against another build's, taking turns
 * in one JVM, the other build loaded in a class loader of its own. On a machine shared with other jobs the speed
 * of the CPU drifts by a fifth within minutes, more than a change to the list rows moves them; rounds that take
 * turns seconds apart see the same drift, so their ratio shows what separate runs cannot. A build compared with
 * itself this way gave a median ratio of 1.02 over 12 rounds.
 */
final class RenderComparison {
    private RenderComparison() {
    }

    /** {@code against}: the other build's jar, or a class path of several entries. */
    static void run(String against, int pages, int rounds, PrintStream out) throws Exception {
        if (pages < 1 || rounds < 1) {
            throw new IllegalArgumentException("--pages and --rounds take a number of at least 1");
        }
        try (URLClassLoader loader = new URLClassLoader(urls(against), ClassLoader.getPlatformClassLoader())) {
            Method theirs = loader.loadClass(BenchCommand.class.getName())
                    .getDeclaredMethod("render", int.class, PrintStream.class);
            theirs.setAccessible(true);
            double[] mine = new double[rounds];
            double[] other = new double[rounds];
            // One uncounted round warms both builds up; then the one that goes first changes from round to round.
            for (int r = -1; r < rounds; r++) {
                boolean mineFirst = (r & 1) == 0;
                double a = mineFirst ? once(null, pages) : 0;
                double b = once(theirs, pages);
                if (!mineFirst) {
                    a = once(null, pages);
                }
                if (r >= 0) {
                    mine[r] = a;
                    other[r] = b;
                    out.printf(Locale.ROOT, "render_round_%d_ns_per_row=%.0f against %.0f%n", r + 1, a, b);
                }
            }
            double[] ratios = new double[rounds];
            int faster = 0;
            for (int r = 0; r < rounds; r++) {
                ratios[r] = mine[r] / other[r];
                faster += mine[r] < other[r] ? 1 : 0;
            }
            out.printf(Locale.ROOT, "render_ns_per_row_median=%.0f%n", median(mine));
            out.printf(Locale.ROOT, "render_against_ns_per_row_median=%.0f%n", median(other));
            out.printf(Locale.ROOT, "render_ratio_median=%.3f%n", median(ratios));
            out.printf(Locale.ROOT, "render_faster_rounds=%d of %d%n", faster, rounds);
        }
    }

    /** The median ns a row of one {@code bench render} of this build (null) or the other. */
    private static double once(Method theirs, int pages) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        if (theirs == null) {
            BenchCommand.render(pages, out);
        } else {
            try {
                theirs.invoke(null, pages, out);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        String key = "render_ns_per_row_median=";
        int at = text.indexOf(key);
        if (at < 0) {
            throw new IllegalStateException("bench render printed no " + key + ": " + text);
        }
        int end = text.indexOf('\n', at);
        return Double.parseDouble(text.substring(at + key.length(), end < 0 ? text.length() : end).trim());
    }

    private static URL[] urls(String classPath) throws MalformedURLException {
        String[] entries = classPath.split(File.pathSeparator);
        URL[] urls = new URL[entries.length];
        for (int i = 0; i < entries.length; i++) {
            File f = new File(entries[i]);
            if (!f.exists()) {
                throw new IllegalArgumentException("--against: " + entries[i] + " does not exist");
            }
            urls[i] = f.toURI().toURL();
        }
        return urls;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
