package io.stochastic.devops.cli;

import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.ManifestBatch;
import io.stochastic.devops.engine.input.ManifestReader;
import io.stochastic.devops.engine.input.ReadLimits;
import io.stochastic.devops.engine.input.schema.ObjectSchemas;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Option;

/**
 * {@code --strict}, {@code --crd} and {@code --no-validate}: how manifests are validated against
 * the Kubernetes schema and CRDs before they are judged (docs/validation.md).
 */
final class ManifestValidationOptions {
  @Option(names = "--strict",
      description = "Fail on fields the Kubernetes schema (or a CRD's) does not declare and on "
          + "API versions Kubernetes does not serve, not only warn.")
  boolean strict;

  @Option(names = "--crd", paramLabel = "FILE|DIR",
      description = "CustomResourceDefinitions (files or directories, repeatable) to validate "
          + "custom resources with; CRDs among the audited manifests count too.")
  List<Path> crds = new ArrayList<>();

  @Option(names = "--no-validate",
      description = "Do not validate objects against the Kubernetes schema before judging them.")
  boolean noValidate;

  /**
   * Starts loading the bundled schema on a thread of its own, to overlap reading the manifests;
   * null when validation is off. Conflicting options are a usage error, before any work.
   */
  CompletableFuture<ObjectSchemas> startLoading() {
    if (noValidate && (strict || !crds.isEmpty())) {
      throw new UserException("--no-validate cannot be combined with --strict or --crd");
    }
    return noValidate ? null : CompletableFuture.supplyAsync(ObjectSchemas::kubernetes,
        task -> AuditCommand.daemon("kube-devops-schemas", task));
  }

  /** Validates what was read: invalid objects become invalid documents, with warnings. */
  void validate(CompletableFuture<ObjectSchemas> loading, ManifestBatch batch) {
    if (loading != null) {
      batch.validate(schemas(loading, batch));
    }
  }

  /**
   * The schemas to validate with: Kubernetes's, --crd's and those of the CRDs read among the
   * manifests. A --crd path that holds no CRD is a usage error.
   */
  private ObjectSchemas schemas(CompletableFuture<ObjectSchemas> loading, ManifestBatch batch) {
    List<KubeObject> definitions = new ArrayList<>();
    ManifestReader reader = new ManifestReader(ReadLimits.DEFAULT, null);
    for (Path crd : crds) {
      ManifestBatch read = new ManifestBatch();
      reader.readPath(crd, read);
      if (!read.invalid().isEmpty()) {
        throw new UserException("--crd: " + read.invalid().get(0));
      }
      List<KubeObject> found = read.objects().stream()
          .filter(ObjectSchemas::isCustomResourceDefinition).toList();
      if (found.isEmpty()) {
        throw new UserException(crd + ": no CustomResourceDefinition (apiextensions.k8s.io/v1) "
            + "in it (--crd)");
      }
      definitions.addAll(found);
    }
    batch.objects().stream().filter(ObjectSchemas::isCustomResourceDefinition)
        .forEach(definitions::add);
    return loading.join().withCustomResourceDefinitions(definitions).strict(strict);
  }
}
