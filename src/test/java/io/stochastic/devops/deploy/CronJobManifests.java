package io.stochastic.devops.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.stochastic.devops.deploy.ManifestDirectory.Manifest;
import java.nio.file.Path;
import java.util.List;

/** The deployment manifests of {@code cronjobs/}, read as typed objects, in file order. */
final class CronJobManifests {
  /** The directory, relative to the project (Maven runs the tests there). */
  static final Path DIRECTORY = Path.of("cronjobs");
  static final String NAMESPACE = "kube-devops";
  static final String SERVICE_ACCOUNT = "kube-devops-auditor";
  static final String CLUSTER_ROLE = "kube-devops-auditor";

  private static final ManifestDirectory MANIFESTS = new ManifestDirectory(DIRECTORY);

  private CronJobManifests() {}

  static ManifestDirectory directory() {
    return MANIFESTS;
  }

  static List<Path> files() {
    return MANIFESTS.files();
  }

  static List<Manifest> all() {
    return MANIFESTS.all();
  }

  /** Every object of one file; a fresh copy on each call, so callers may change them. */
  static List<HasMetadata> read(Path file) {
    return ManifestDirectory.read(file);
  }

  static <T extends HasMetadata> T one(Class<T> type) {
    return MANIFESTS.one(type);
  }
}
