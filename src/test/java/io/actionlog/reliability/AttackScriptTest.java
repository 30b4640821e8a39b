package io.actionlog.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The short form of {@code scripts/attack.sh}: every case of the hardening issue against a server with a 96 MiB
 * heap, run from this test run's class path (the jar is only packaged after the tests). The script judges; this
 * test only runs it and shows its lines when it fails.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class AttackScriptTest {
    @Test
    void theQuickAttackFindsNoFailure() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of("bash", "scripts/attack.sh", "--quick",
                "--cp", System.getProperty("java.class.path"),
                "--jvm-flags", System.getProperty("actionlog.test.jvmFlags", "")))
                .redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", Path.of(System.getProperty("java.home")).toString());
        Process p = pb.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            throw new AssertionError("the attack script did not finish within 5 minutes:\n" + out.getNow(""));
        }
        String lines = out.get(30, TimeUnit.SECONDS);
        assertTrue(lines.contains("attack: PASS"), lines);
        assertEquals(0, p.exitValue(), lines);
    }
}
