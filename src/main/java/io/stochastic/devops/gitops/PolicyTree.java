package io.stochastic.devops.gitops;

import io.stochastic.devops.api.Annotations;
import io.stochastic.devops.api.Labels;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.ManifestBatch;
import io.stochastic.devops.engine.input.ManifestReader;
import io.stochastic.devops.engine.input.ReadLimits;
import io.stochastic.devops.engine.policy.PolicyDocuments;
import io.stochastic.devops.engine.policy.lint.LintProblem;
import io.stochastic.devops.engine.policy.lint.LintReport;
import io.stochastic.devops.engine.policy.lint.LintSeverity;
import io.stochastic.devops.engine.policy.lint.PolicyLinter;
import io.stochastic.devops.engine.policy.lint.YamlSourceLocator;
import io.stochastic.devops.kube.DesiredPolicy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * The policies a commit's tree defines under the source's path, read and linted exactly as
 * {@code policy lint} reads and lints a directory (same reader, same {@link PolicyLinter}, all
 * files together so that cross-file rules such as one policy per namespace hold).
 *
 * <p>A file with a lint error is skipped as a whole, and named in {@link #invalidFiles()}, so
 * that the objects it defined before are neither changed nor pruned while it is broken. A policy
 * takes its namespace from {@code metadata.namespace}, else from the {@code namespaces/<ns>/}
 * directory it is in (the policy repository layout); one with neither (a bundle definition under
 * {@code bundles/}) is not applied and is listed in {@link #notApplied()}.
 *
 * @param revision the commit
 * @param files the paths of the manifest files read (.yaml, .yml, .json)
 * @param policies the policies of the valid files, labelled and annotated for the sync
 * @param crds the CustomResourceDefinitions of the valid files, labelled and annotated the same
 *     way: applied before the policies (a policy repository may carry the CRDs it needs)
 * @param invalidFiles files skipped because lint found errors in them
 * @param problems the lint errors and warnings, one line each
 * @param notApplied policies read but not applied, with why
 */
public record PolicyTree(String revision, Set<String> files, List<DesiredPolicy> policies,
    List<DesiredCrd> crds, Set<String> invalidFiles, List<String> problems,
    List<String> notApplied) {
  private static final Pattern NAMESPACE_DIRECTORY =
      Pattern.compile("(?:^|.*/)namespaces/([^/]+)/[^/]+$");

  /** Reads the tree of {@code commit} under {@code path}. */
  public static PolicyTree read(Repository repository, ObjectId commit, String path,
      PolicyLinter linter) throws GitFetchException {
    Map<String, byte[]> contents = contents(repository, commit, path);
    ManifestReader reader = new ManifestReader(ReadLimits.DEFAULT, null);
    ManifestBatch batch = new ManifestBatch();
    for (Map.Entry<String, byte[]> file : contents.entrySet()) {
      boolean json = file.getKey().toLowerCase(Locale.ROOT).endsWith(".json");
      reader.readStream(file.getKey(), new ByteArrayInputStream(file.getValue()), json, batch);
    }
    LintReport lint = linter.lint(batch, new YamlSourceLocator(contents));
    Set<String> invalid = new TreeSet<>();
    List<String> problems = new ArrayList<>();
    for (LintProblem problem : lint.problems()) {
      problems.add(problem.toString());
      if (problem.severity() == LintSeverity.ERROR) {
        invalid.add(problem.file());
      }
    }
    String revision = commit.name();
    List<DesiredPolicy> policies = new ArrayList<>();
    List<DesiredCrd> crds = new ArrayList<>();
    List<String> notApplied = new ArrayList<>();
    for (KubeObject object : batch.objects()) {
      if (invalid.contains(object.file())) {
        continue;
      }
      if (DesiredCrd.isCrd(object.content())) {
        crds.add(DesiredCrd.of(object.source(), object.name(),
            marked(object.content(), object.file(), revision)));
        continue;
      }
      if (!PolicyDocuments.isPolicy(object.content())) {
        notApplied.add(object.source() + ": " + object.kind() + " " + object.name()
            + " is not synced (the sync applies DevOpsPolicies and CustomResourceDefinitions)");
        continue;
      }
      String namespace = namespaceOf(object);
      if (namespace == null) {
        notApplied.add(object.source() + ": policy " + object.name() + " names no namespace"
            + " (metadata.namespace, or a namespaces/<ns>/ directory): not applied");
        continue;
      }
      policies.add(DesiredPolicy.of(object.source(), namespace, object.name(),
          marked(object.content(), object.file(), revision)));
    }
    return new PolicyTree(revision, contents.keySet(), policies, crds, invalid, problems,
        notApplied);
  }

  /** The policies defined by {@code changedFiles} only. */
  public List<DesiredPolicy> policiesIn(Set<String> changedFiles) {
    return policies.stream().filter(p -> changedFiles.contains(fileOf(p.source()))).toList();
  }

  /** The CRDs defined by {@code changedFiles} only. */
  public List<DesiredCrd> crdsIn(Set<String> changedFiles) {
    return crds.stream().filter(c -> changedFiles.contains(fileOf(c.source()))).toList();
  }

  /** The file of a {@code file#doc} source. */
  static String fileOf(String source) {
    int hash = source.lastIndexOf('#');
    return hash < 0 ? source : source.substring(0, hash);
  }

  private static String namespaceOf(KubeObject object) {
    if (object.metadata().get("namespace") instanceof String ns && !ns.isEmpty()) {
      return ns;
    }
    Matcher directory = NAMESPACE_DIRECTORY.matcher(object.file());
    return directory.matches() ? directory.group(1) : null;
  }

  /** The object with the sync's managed-by label and source annotations (DESIGN.md §4). */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> marked(Map<String, Object> content, String file,
      String revision) {
    Map<String, Object> copy = new LinkedHashMap<>(content);
    Map<String, Object> metadata = copy.get("metadata") instanceof Map<?, ?> m
        ? new LinkedHashMap<>((Map<String, Object>) m) : new LinkedHashMap<>();
    Map<String, Object> labels = metadata.get("labels") instanceof Map<?, ?> l
        ? new LinkedHashMap<>((Map<String, Object>) l) : new LinkedHashMap<>();
    labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_SYNC);
    Map<String, Object> annotations = metadata.get("annotations") instanceof Map<?, ?> a
        ? new LinkedHashMap<>((Map<String, Object>) a) : new LinkedHashMap<>();
    annotations.put(Annotations.SOURCE_REVISION, revision);
    annotations.put(Annotations.SOURCE_PATH, file);
    metadata.put("labels", labels);
    metadata.put("annotations", annotations);
    copy.put("metadata", metadata);
    return copy;
  }

  private static Map<String, byte[]> contents(Repository repository, ObjectId commit,
      String path) throws GitFetchException {
    Map<String, byte[]> contents = new TreeMap<>();
    try (RevWalk walk = new RevWalk(repository); TreeWalk tree = new TreeWalk(repository)) {
      tree.addTree(walk.parseCommit(commit).getTree());
      tree.setRecursive(true);
      if (!path.isEmpty()) {
        tree.setFilter(PathFilter.create(path));
      }
      while (tree.next()) {
        String file = tree.getPathString();
        if (isManifest(file)) {
          contents.put(file, repository.open(tree.getObjectId(0)).getBytes());
        }
      }
    } catch (IOException e) {
      throw new GitFetchException("cannot read the tree of " + commit.name() + ": "
          + e.getMessage(), e);
    }
    return contents;
  }

  static boolean isManifest(String file) {
    String name = file.toLowerCase(Locale.ROOT);
    return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
  }
}
