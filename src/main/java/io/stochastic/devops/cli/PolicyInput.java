package io.stochastic.devops.cli;

import io.stochastic.devops.engine.input.IoProblems;
import io.stochastic.devops.engine.input.ManifestBatch;
import io.stochastic.devops.engine.input.ManifestReader;
import io.stochastic.devops.engine.input.ReadLimits;
import io.stochastic.devops.engine.policy.PolicyRepository;
import io.stochastic.devops.engine.policy.lint.LintReport;
import io.stochastic.devops.engine.policy.lint.YamlSourceLocator;
import io.stochastic.devops.kube.ClusterSession;
import io.stochastic.devops.kube.DesiredPolicy;
import io.stochastic.devops.report.LintFormat;
import io.stochastic.devops.report.LintRenderer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Policy files as the policy commands read them (files, directories, {@code -} for stdin), and
 * their lint: what {@code policy lint} prints, and what {@code policy import} and {@code policy
 * diff} check before they talk to a cluster. Stdin is read once into memory (bounded), so that
 * lint can locate fields in it afterwards.
 */
final class PolicyInput {
  static final String STDIN = "<stdin>";
  private static final long MAX_STDIN_BYTES = 4L * ReadLimits.DEFAULT.maxDocumentChars();

  private final ManifestBatch batch;
  private final LintReport lint;

  private PolicyInput(ManifestBatch batch, LintReport lint) {
    this.batch = batch;
    this.lint = lint;
  }

  static PolicyInput read(Application application, List<String> paths) {
    return read(application, paths, Set.of());
  }

  /**
   * @param knownKinds kinds known besides the built-in and declared ones, which custom checks
   *     may name: an audit's manifests and {@code --workload-kind}s
   */
  static PolicyInput read(Application application, List<String> paths, Set<String> knownKinds) {
    byte[] stdin = paths.contains("-") ? readStdin(application.stdin()) : new byte[0];
    ManifestBatch batch;
    try {
      batch = new ManifestReader(ReadLimits.DEFAULT, null)
          .skippingFiles(PolicyRepository::isOtherFile)
          .read(paths, new ByteArrayInputStream(stdin));
    } catch (IllegalStateException e) {
      throw new UserException(e.getMessage(), e);
    }
    LintReport lint = application.policyLinter()
        .lint(batch, new YamlSourceLocator(Map.of(STDIN, stdin)), knownKinds);
    return new PolicyInput(batch, lint);
  }

  ManifestBatch batch() {
    return batch;
  }

  LintReport lint() {
    return lint;
  }

  /**
   * Refuses files with errors (exit 2, the problems on {@code err}) before {@code verb} touches a
   * cluster; warnings are printed and let through.
   */
  void requireValid(String verb, PrintWriter err) {
    if (lint.problems().isEmpty()) {
      return;
    }
    try {
      LintRenderer.of(LintFormat.TABLE).render(lint, "", false, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    err.flush();
    if (lint.errors() > 0) {
      throw new UserException("refusing to " + verb + ": " + lint.errors()
          + (lint.errors() == 1 ? " error" : " errors") + " in the files (listed above)");
    }
  }

  /** The policies read, each in the namespace it is to be applied to. */
  List<DesiredPolicy> desiredPolicies(String namespaceFlag, ClusterSession session) {
    try {
      return DesiredPolicy.fromFiles(batch.objects(), namespaceFlag, session.defaultNamespace());
    } catch (IllegalArgumentException e) {
      throw new UserException(e.getMessage(), e);
    }
  }

  private static byte[] readStdin(InputStream in) {
    try {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, MAX_STDIN_BYTES + 1));
      if (bytes.length > MAX_STDIN_BYTES) {
        throw new UserException("<stdin>: more than " + MAX_STDIN_BYTES / (1024 * 1024)
            + " MiB of input");
      }
      return bytes;
    } catch (IOException e) {
      throw new UserException("<stdin>: cannot read: " + IoProblems.describe(e), e);
    }
  }
}
