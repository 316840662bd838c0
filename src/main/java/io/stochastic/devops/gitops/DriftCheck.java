package io.stochastic.devops.gitops;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.stochastic.devops.kube.ApiResources;
import io.stochastic.devops.kube.ClusterSession;
import io.stochastic.devops.kube.DesiredPolicy;
import io.stochastic.devops.kube.ListPages;
import io.stochastic.devops.kube.ServerFields;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which policies of a self-heal round may have drifted, found with one paginated list of the
 * cluster's DevOpsPolicies instead of a read and an apply per object: a policy whose live object
 * still holds every field the tree gives it, with the same values, is left alone; the others are
 * re-applied, and the API server's answer then says whether anything changed.
 *
 * <p>"Holds every field" is a subset test, so what the API server adds (CRD defaults, status,
 * fields of other managers) is not drift, while a changed or removed value, a removed label, an
 * element added to or removed from a list, or a deleted object is. A false alarm (a number
 * written differently, say) costs one apply that changes nothing and is not reported.
 */
final class DriftCheck {
  private static final long PAGE = 500;

  private final Map<String, Map<String, Object>> live;

  private DriftCheck(Map<String, Map<String, Object>> live) {
    this.live = live;
  }

  /** Lists the cluster's DevOpsPolicies (every namespace), page by page. */
  static DriftCheck list(ClusterSession cluster) {
    Map<String, Map<String, Object>> live = new HashMap<>();
    cluster.request("listing DevOpsPolicies for a self-heal", () -> {
      ListPages.forEach(PAGE, options -> cluster.client()
              .genericKubernetesResources(ApiResources.DEVOPS_POLICY).inAnyNamespace()
              .list(options),
          (GenericKubernetesResource object) -> live.put(
              InventoryPruner.key(PolicySync.POLICY_KIND, object.getMetadata().getNamespace(),
                  object.getMetadata().getName()), ServerFields.tree(object)));
      return null;
    });
    return new DriftCheck(live);
  }

  /** The policies among {@code desired} whose live object is missing or differs. */
  List<DesiredPolicy> drifted(List<DesiredPolicy> desired) {
    List<DesiredPolicy> drifted = new ArrayList<>();
    for (DesiredPolicy policy : desired) {
      Map<String, Object> object = live.get(InventoryPruner.key(PolicySync.POLICY_KIND,
          policy.namespace(), policy.name()));
      if (object == null || !covers(object, ServerFields.tree(policy.object()))) {
        drifted.add(policy);
      }
    }
    return drifted;
  }

  /** Whether {@code live} holds every field of {@code desired} with the same value. */
  static boolean covers(Object live, Object desired) {
    if (desired == null) {
      return true;
    }
    if (desired instanceof Map<?, ?> fields) {
      if (!(live instanceof Map<?, ?> liveFields)) {
        return false;
      }
      for (Map.Entry<?, ?> field : fields.entrySet()) {
        if (field.getValue() != null && !covers(liveFields.get(field.getKey()),
            field.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (desired instanceof List<?> items) {
      if (!(live instanceof List<?> liveItems) || liveItems.size() != items.size()) {
        return false;
      }
      for (int i = 0; i < items.size(); i++) {
        if (!covers(liveItems.get(i), items.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (desired instanceof Number number && live instanceof Number liveNumber) {
      // 2 and 2L, or 0.5 read as a double and as a BigDecimal, are one value
      return new BigDecimal(number.toString()).compareTo(new BigDecimal(liveNumber.toString()))
          == 0;
    }
    return desired.equals(live);
  }
}
