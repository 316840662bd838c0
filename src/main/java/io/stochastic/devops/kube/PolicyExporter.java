package io.stochastic.devops.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The policies of a cluster as files to commit: without what the server fills in
 * ({@link ServerFields}), fields in the schema's order, one YAML document each.
 */
public final class PolicyExporter {
  private final LivePolicies live;
  private final ObjectYaml yaml;

  public PolicyExporter(LivePolicies live, ObjectYaml yaml) {
    this.live = live;
    this.yaml = yaml;
  }

  /** One exported policy: where it lives, its clean tree and that tree as YAML. */
  public record ExportedPolicy(String namespace, String name, Map<String, Object> object,
      String yaml) {
    /** Its file in a policy repository: {@code namespaces/<ns>/<name>.yaml}. */
    public String repositoryPath() {
      return "namespaces/" + namespace + "/" + name + ".yaml";
    }
  }

  /** The policies of {@code namespace}, or of every namespace when it is null. */
  public List<ExportedPolicy> export(String namespace) {
    List<ExportedPolicy> exported = new ArrayList<>();
    for (GenericKubernetesResource policy : live.list(namespace)) {
      Map<String, Object> clean = ServerFields.strip(policy);
      exported.add(new ExportedPolicy(policy.getMetadata().getNamespace(),
          policy.getMetadata().getName(), clean, yaml.write(clean)));
    }
    return exported;
  }
}
