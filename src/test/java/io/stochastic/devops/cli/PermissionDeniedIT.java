package io.stochastic.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Unreadable input is "permission denied" in one line, through the real launcher. Root reads
 * everything, so when the tests run as root (CI containers do) the launcher runs as the user
 * {@code nobody} through util-linux's {@code setpriv}: the check runs for real either way.
 */
class PermissionDeniedIT {
  private static final String MANIFEST = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n";
  private Path dir;
  private Path file;
  private Path locked;

  @BeforeEach
  void createUnreadableInput() throws IOException {
    // A directory of our own others may enter (a JUnit @TempDir is private to its owner).
    dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "kube-devops-perm");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    file = Files.writeString(dir.resolve("secret.yaml"), MANIFEST);
    locked = Files.createDirectories(dir.resolve("locked"));
    Files.writeString(locked.resolve("app.yaml"), MANIFEST);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
  }

  @AfterEach
  void removeIt() throws IOException {
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    Files.delete(locked.resolve("app.yaml"));
    Files.delete(locked);
    Files.delete(file);
    Files.delete(dir);
  }

  private record Run(int exitCode, String out, String err) {}

  private static Run launch(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")),
          "running as root without util-linux's setpriv to drop to nobody");
      command.addAll(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
          "--clear-groups"));
      if (args.length > 0 && !args[0].equals("version")) {
        assumeTrue(launch("version").exitCode() == 0,
            "nobody cannot run bin/kube-devops here (a private parent directory)");
      }
    }
    command.add(Path.of("bin/kube-devops").toAbsolutePath().toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("JAVA_OPTS");
    Process process = builder.start();
    byte[] out = process.getInputStream().readAllBytes();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8), err);
  }

  @Test
  void anUnreadableFileIsPermissionDenied() throws Exception {
    Run audit = launch("audit", file.toString());
    assertThat(audit.err()).isEqualTo("error: " + file + ": cannot read: permission denied\n");
    assertThat(audit.exitCode()).isEqualTo(ExitCode.ERROR);
  }

  @Test
  void anUnreadableDirectoryInATreeIsPermissionDenied() throws Exception {
    Run lint = launch("policy", "lint", locked.toString());
    assertThat(lint.out()).contains(locked + ": error: cannot list directory: permission denied");
    assertThat(lint.exitCode()).isEqualTo(ExitCode.ERROR);
    Run tree = launch("audit", dir.toString());
    assertThat(tree.err()).contains("error: " + locked + ": cannot list directory: "
        + "permission denied").doesNotContain("Exception", "java.", "\tat ");
    assertThat(tree.exitCode()).isEqualTo(ExitCode.ERROR);
  }
}
