package io.stochastic.devops.kube;

import io.stochastic.devops.api.ApiGroup;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * The resources the cluster commands handle as generic objects (trees, not the generated model:
 * server-side apply of a typed object would also claim the fields its Java defaults fill in).
 * Declared here, so that no discovery request is needed.
 */
public final class ApiResources {
  public static final ResourceDefinitionContext DEVOPS_POLICY =
      new ResourceDefinitionContext.Builder()
          .withGroup(ApiGroup.GROUP)
          .withVersion("v1")
          .withKind("DevOpsPolicy")
          .withPlural("devopspolicies")
          .withNamespaced(true)
          .build();

  public static final ResourceDefinitionContext CUSTOM_RESOURCE_DEFINITION =
      new ResourceDefinitionContext.Builder()
          .withGroup("apiextensions.k8s.io")
          .withVersion("v1")
          .withKind("CustomResourceDefinition")
          .withPlural("customresourcedefinitions")
          .withNamespaced(false)
          .build();

  public static final ResourceDefinitionContext VALIDATING_WEBHOOK_CONFIGURATION =
      new ResourceDefinitionContext.Builder()
          .withGroup("admissionregistration.k8s.io")
          .withVersion("v1")
          .withKind("ValidatingWebhookConfiguration")
          .withPlural("validatingwebhookconfigurations")
          .withNamespaced(false)
          .build();

  public static final ResourceDefinitionContext MUTATING_WEBHOOK_CONFIGURATION =
      new ResourceDefinitionContext.Builder()
          .withGroup("admissionregistration.k8s.io")
          .withVersion("v1")
          .withKind("MutatingWebhookConfiguration")
          .withPlural("mutatingwebhookconfigurations")
          .withNamespaced(false)
          .build();

  public static final ResourceDefinitionContext VALIDATING_ADMISSION_POLICY =
      new ResourceDefinitionContext.Builder()
          .withGroup("admissionregistration.k8s.io")
          .withVersion("v1")
          .withKind("ValidatingAdmissionPolicy")
          .withPlural("validatingadmissionpolicies")
          .withNamespaced(false)
          .build();

  public static final ResourceDefinitionContext VALIDATING_ADMISSION_POLICY_BINDING =
      new ResourceDefinitionContext.Builder()
          .withGroup("admissionregistration.k8s.io")
          .withVersion("v1")
          .withKind("ValidatingAdmissionPolicyBinding")
          .withPlural("validatingadmissionpolicybindings")
          .withNamespaced(false)
          .build();

  private ApiResources() {}

  /** How kubectl names a resource type in its output: {@code devopspolicy.devops.stochastic.io}. */
  public static String displayType(ResourceDefinitionContext resource) {
    String singular = resource.getKind().toLowerCase(java.util.Locale.ROOT);
    return resource.getGroup() == null || resource.getGroup().isEmpty()
        ? singular : singular + "." + resource.getGroup();
  }
}
