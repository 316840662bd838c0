package io.stochastic.devops.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesListBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.RoleRefBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.stochastic.devops.deploy.RbacModel.ComponentRbac;
import io.stochastic.devops.deploy.RbacRule.Scope;
import io.stochastic.devops.kube.ObjectYaml;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes objects of a component's RBAC (ServiceAccount, ClusterRole and
 * ClusterRoleBinding for the cluster-wide rules, Role and RoleBinding for those in its own
 * namespace), all named {@code kube-devops-<component>} and labelled per DESIGN.md, and their
 * YAML (each rule's reason as a comment) or JSON (a {@code v1 List}).
 */
public final class RbacManifests {
  /** Where the components run unless told otherwise (the shipped manifests' namespace). */
  public static final String DEFAULT_NAMESPACE = "kube-devops";
  private static final String RBAC_GROUP = "rbac.authorization.k8s.io";
  private static final int WIDTH = 100;
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final ObjectYaml YAML = ObjectYaml.asIs();

  private final String namespace;
  private final String version;

  /**
   * @param namespace the components' namespace: accounts, Roles, RoleBindings and subjects
   * @param version the {@code app.kubernetes.io/version} label
   */
  public RbacManifests(String namespace, String version) {
    this.namespace = namespace;
    this.version = version;
  }

  /** One object and the comment that says what it is for (empty for none). */
  public record Manifest(HasMetadata object, String comment) {}

  /** The objects of one component, in the order they apply: account, roles, then bindings. */
  public List<Manifest> manifests(ComponentRbac rbac) {
    Component component = rbac.component();
    String name = component.accountName();
    List<Manifest> out = new ArrayList<>();
    out.add(new Manifest(new ServiceAccountBuilder().withMetadata(meta(component, true))
        .withAutomountServiceAccountToken(false).build(),
        "The identity of " + component.purpose() + " (`kube-devops " + component.command()
            + "`). No pod gets its token by default: the component's pods mount a short-lived "
            + "projected token explicitly, and nothing else should run as this account."));
    Subject subject = new SubjectBuilder().withKind("ServiceAccount").withName(name)
        .withNamespace(namespace).build();
    List<RbacRule> cluster = rbac.rules(Scope.CLUSTER);
    if (!cluster.isEmpty()) {
      out.add(new Manifest(new ClusterRoleBuilder().withMetadata(meta(component, false))
          .withRules(cluster.stream().map(RbacRule::policyRule).toList()).build(),
          "Cluster-wide rules, each for:\n" + reasons(cluster)));
      out.add(new Manifest(new ClusterRoleBindingBuilder().withMetadata(meta(component, false))
          .withRoleRef(roleRef("ClusterRole", name)).withSubjects(subject).build(),
          "Bound in every namespace. To limit the component to some namespaces, bind the "
              + "ClusterRole with a RoleBinding in each of them instead."));
    }
    List<RbacRule> local = rbac.rules(Scope.NAMESPACE);
    if (!local.isEmpty()) {
      out.add(new Manifest(new RoleBuilder().withMetadata(meta(component, true))
          .withRules(local.stream().map(RbacRule::policyRule).toList()).build(),
          "In the namespace " + namespace + " only, each for:\n" + reasons(local)));
      out.add(new Manifest(new RoleBindingBuilder().withMetadata(meta(component, true))
          .withRoleRef(roleRef("Role", name)).withSubjects(subject).build(), ""));
    }
    return out;
  }

  /** The objects alone, as a chart test or an E2E test wants them. */
  public List<HasMetadata> objects(ComponentRbac rbac) {
    return manifests(rbac).stream().map(Manifest::object).toList();
  }

  /**
   * Multi-document YAML: a header saying how it was generated, then each object with its
   * comment. The output of {@code kube-devops deploy generate-rbac} and of the shipped files.
   *
   * @param selection how the components were chosen ({@code sync}, {@code all}), for the header
   */
  public String yaml(List<ComponentRbac> components, String selection) {
    StringBuilder out = new StringBuilder();
    String command = "kube-devops deploy generate-rbac --component " + selection
        + (namespace.equals(DEFAULT_NAMESPACE) ? "" : " -n " + namespace);
    comment(out, "Generated by `" + command + "` from io.stochastic.devops.deploy.RbacModel, "
        + "which says why each rule is there (docs/deploy.md): change the model and generate "
        + "again rather than editing this output.");
    out.append("#\n");
    comment(out, "The Namespace is not created here: `kubectl create namespace " + namespace
        + "` first (the kube-devops components share it, so no single component's manifests "
        + "own it).");
    out.append('\n');
    boolean first = true;
    for (ComponentRbac rbac : components) {
      for (Manifest manifest : manifests(rbac)) {
        if (!first) {
          out.append("---\n");
        }
        first = false;
        comment(out, manifest.comment());
        out.append(YAML.write(map(manifest.object())));
      }
    }
    return out.toString();
  }

  /** A {@code v1 List} of every object, for {@code kubectl apply -f} or a program. */
  public String json(List<ComponentRbac> components) {
    KubernetesListBuilder list = new KubernetesListBuilder();
    components.forEach(rbac -> list.addAllToItems(objects(rbac)));
    try {
      return new ObjectMapper().writerWithDefaultPrettyPrinter()
          .writeValueAsString(map(list.build())) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write JSON", e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object object) {
    return SERIALIZATION.convertValue(object, LinkedHashMap.class);
  }

  private ObjectMeta meta(Component component, boolean namespaced) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", "kube-devops");
    labels.put("app.kubernetes.io/component", component.id());
    labels.put("app.kubernetes.io/instance", component.accountName());
    labels.put("app.kubernetes.io/part-of", "kube-devops");
    labels.put("app.kubernetes.io/version", version);
    return new ObjectMetaBuilder().withName(component.accountName())
        .withNamespace(namespaced ? namespace : null).withLabels(labels).build();
  }

  private static RoleRef roleRef(String kind, String name) {
    return new RoleRefBuilder().withApiGroup(RBAC_GROUP).withKind(kind).withName(name).build();
  }

  /** {@code - pods, replicationcontrollers: list, watch. Informers ...}, one per rule. */
  private static String reasons(List<RbacRule> rules) {
    StringBuilder text = new StringBuilder();
    for (RbacRule rule : rules) {
      text.append("- ").append(String.join(", ", rule.qualifiedResources()));
      if (!rule.resourceNames().isEmpty()) {
        text.append(" named ").append(String.join(", ", rule.resourceNames()));
      }
      text.append(": ").append(String.join(", ", rule.verbs())).append(". ")
          .append(rule.why()).append('\n');
    }
    return text.toString();
  }

  /** {@code text} as {@code #} lines of at most {@link #WIDTH}; list items keep an indent. */
  static void comment(StringBuilder out, String text) {
    for (String paragraph : text.split("\n")) {
      if (paragraph.isBlank()) {
        continue;
      }
      String indent = paragraph.startsWith("- ") ? "  " : "";
      StringBuilder line = new StringBuilder("#");
      for (String word : paragraph.split(" ")) {
        if (line.length() > 1 + indent.length() && line.length() + 1 + word.length() > WIDTH) {
          out.append(line).append('\n');
          line = new StringBuilder("# ").append(indent).append(word);
        } else {
          line.append(' ').append(word);
        }
      }
      out.append(line).append('\n');
    }
  }
}
