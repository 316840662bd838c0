package io.stochastic.devops.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import io.stochastic.devops.TestUtils;
import io.stochastic.devops.engine.policy.lint.PolicyLinter;
import io.stochastic.devops.engine.policy.lint.PolicySchema;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The last tree is served again for the same commit and path, and read anew otherwise. */
class LastTreeTest {
  private static final PolicyLinter LINTER =
      new PolicyLinter(PolicySchema.devOpsPolicy(), TestUtils.resolver());

  private static ObjectId commit(Git git, Path root, String bundle) throws Exception {
    Path file = root.resolve("policies/namespaces/shop/policy.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, """
        apiVersion: devops.stochastic.io/v1
        kind: DevOpsPolicy
        metadata: {name: shop}
        spec: {bundle: %s}
        """.formatted(bundle));
    git.add().addFilepattern("policies").call();
    return git.commit().setMessage(bundle).setAuthor("t", "t@example.com")
        .setCommitter("t", "t@example.com").call().getId();
  }

  @Test
  void theSameCommitIsNotReadAgainAndANewOneIs(@TempDir Path root) throws Exception {
    try (Git git = Git.init().setDirectory(root.toFile()).setInitialBranch("main").call()) {
      ObjectId first = commit(git, root, "baseline");
      LastTree last = new LastTree();

      PolicyTree tree = last.read(git.getRepository(), first, "policies", LINTER);
      assertThat(tree.policies()).singleElement()
          .satisfies(p -> assertThat(p.namespace()).isEqualTo("shop"));
      // a copy of the id, as a poll's fetch gives a new ObjectId for the same head
      assertThat(last.read(git.getRepository(), first.copy(), "policies", LINTER))
          .isSameAs(tree);

      ObjectId second = commit(git, root, "restricted");
      PolicyTree next = last.read(git.getRepository(), second, "policies", LINTER);
      assertThat(next).isNotSameAs(tree);
      assertThat(next.revision()).isEqualTo(second.name());
      assertThat(last.read(git.getRepository(), second, "policies/bundles", LINTER)
          .policies()).as("another path is another tree").isEmpty();
    }
  }
}
