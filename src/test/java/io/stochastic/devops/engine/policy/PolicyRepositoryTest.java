package io.stochastic.devops.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyRepositoryTest {
  @TempDir
  Path dir;

  @Test
  void isFoundInTheDirectoryItsPoliciesDirectoryOrAParentUpToTheGitRoot() throws IOException {
    Path project = Files.createDirectories(dir.resolve("project"));
    Files.createDirectory(project.resolve(".git"));
    Path policies = Files.createDirectories(project.resolve("policies/namespaces/shop"))
        .getParent().getParent();
    Files.createDirectories(project.resolve("src/main"));

    assertThat(PolicyRepository.find(project)).contains(policies);
    assertThat(PolicyRepository.find(policies)).contains(policies);
    assertThat(PolicyRepository.find(policies.resolve("namespaces/shop"))).contains(policies);
    assertThat(PolicyRepository.find(project.resolve("src/main"))).contains(policies);

    // Not above the working tree's root, even where a parent holds a policy repository.
    Files.createDirectories(dir.resolve("bundles"));
    Path other = Files.createDirectories(dir.resolve("other"));
    Files.createDirectory(other.resolve(".git"));
    assertThat(PolicyRepository.find(other)).isEmpty();
    assertThat(PolicyRepository.find(Files.createDirectories(dir.resolve("loose"))))
        .contains(dir);
  }

  @Test
  void helmChartAndKustomizationFilesAreNotPolicyFiles() throws IOException {
    Path chart = Files.createDirectories(dir.resolve("chart/templates"));
    Files.writeString(dir.resolve("chart/Chart.yaml"), "apiVersion: v2\nname: x\n");
    Files.createDirectories(dir.resolve("plain/templates"));

    assertThat(PolicyRepository.isOtherFile(dir.resolve("chart/Chart.yaml"))).isTrue();
    assertThat(PolicyRepository.isOtherFile(dir.resolve("chart/values.yaml"))).isTrue();
    assertThat(PolicyRepository.isOtherFile(dir.resolve("chart/values-prod.yaml"))).isTrue();
    assertThat(PolicyRepository.isOtherFile(chart.resolve("policy.yaml"))).isTrue();
    assertThat(PolicyRepository.isOtherFile(dir.resolve("kustomization.yaml"))).isTrue();
    assertThat(PolicyRepository.isOtherFile(dir.resolve("a/Kustomization"))).isTrue();

    assertThat(PolicyRepository.isOtherFile(dir.resolve("plain/templates/policy.yaml")))
        .as("templates/ of no chart").isFalse();
    assertThat(PolicyRepository.isOtherFile(dir.resolve("namespaces/shop/policy.yaml")))
        .isFalse();
    assertThat(PolicyRepository.isOtherFile(dir.resolve("valuesless.yaml"))).isFalse();
  }
}
