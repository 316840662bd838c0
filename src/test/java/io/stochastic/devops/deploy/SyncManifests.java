package io.stochastic.devops.deploy;

import java.nio.file.Path;

/** The GitOps sync's manifests in {@code deploy/sync/}, and the names the tests hold them to. */
final class SyncManifests {
  static final ManifestDirectory DIRECTORY = new ManifestDirectory(Path.of("deploy/sync"));
  static final String NAMESPACE = "kube-devops";
  static final String SERVICE_ACCOUNT = "kube-devops-sync";
  static final Path RBAC = DIRECTORY.directory().resolve("sync-rbac.yaml");

  private SyncManifests() {}
}
