package io.stochastic.devops.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Field ownership and apply bodies on a Deployment as the API server returns it: created by
 * {@code kubectl} (an Update), then given a liveness probe and an annotation by the enforcer
 * (an Apply), and its replicas written by the HPA controller through {@code /scale}.
 */
class ManagedFieldsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNode DEPLOYMENT = read("""
      {"apiVersion": "apps/v1", "kind": "Deployment",
       "metadata": {"name": "web", "namespace": "shop", "uid": "u1",
         "annotations": {"devops.stochastic.io/patched-by": "kube-devops-enforcer"},
         "managedFields": [
           {"manager": "kubectl", "operation": "Update", "apiVersion": "apps/v1",
            "fieldsType": "FieldsV1", "fieldsV1": {
              "f:spec": {"f:selector": {}, "f:template": {"f:metadata": {"f:labels": {
                "f:app": {}}}, "f:spec": {"f:containers": {
                  "k:{\\"name\\":\\"app\\"}": {".": {}, "f:image": {}, "f:name": {},
                    "f:resources": {"f:limits": {"f:cpu": {}}},
                    "f:ports": {"k:{\\"containerPort\\":8080,\\"protocol\\":\\"TCP\\"}": {
                      ".": {}, "f:containerPort": {}, "f:protocol": {}}}},
                  "k:{\\"name\\":\\"sidecar\\"}": {".": {}, "f:image": {}, "f:name": {}}}}}}}},
           {"manager": "kube-devops-enforcer", "operation": "Apply", "apiVersion": "apps/v1",
            "fieldsType": "FieldsV1", "fieldsV1": {
              "f:metadata": {"f:annotations": {"f:devops.stochastic.io/patched-by": {}}},
              "f:spec": {"f:template": {"f:spec": {"f:containers": {
                "k:{\\"name\\":\\"sidecar\\"}": {".": {}, "f:name": {},
                  "f:livenessProbe": {"f:tcpSocket": {"f:port": {}}}}}}}}}},
           {"manager": "kube-controller-manager", "operation": "Update", "apiVersion": "apps/v1",
            "subresource": "scale", "fieldsType": "FieldsV1", "fieldsV1": {
              "f:spec": {"f:replicas": {}}}},
           {"manager": "kube-devops-enforcer", "operation": "Update", "apiVersion": "apps/v1",
            "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {"f:paused": {}}}}
         ]},
       "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
         "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [
           {"name": "app", "image": "shop/web:1.4.2", "resources": {"limits": {"cpu": "1"}},
            "ports": [{"containerPort": 8080, "protocol": "TCP"}]},
           {"name": "sidecar", "image": "envoy:1.31", "livenessProbe": {"tcpSocket":
             {"port": 9901}}}]}}}}
      """);
  private static final String APP = "/spec/template/spec/containers/0";
  private static final String SIDECAR = "/spec/template/spec/containers/1";

  @Test
  void theFieldsAManagerAppliedAreItsLeavesInTheObjectAsItIsNow() {
    assertThat(new ManagedFields(DEPLOYMENT).appliedBy("kube-devops-enforcer")).containsExactly(
        "/metadata/annotations/devops.stochastic.io~1patched-by",
        SIDECAR,
        SIDECAR + "/livenessProbe/tcpSocket/port",
        SIDECAR + "/name");
  }

  @Test
  void anotherManagerOwnsAFieldOrSomethingInsideIt() {
    ManagedFields fields = new ManagedFields(DEPLOYMENT);

    assertThat(fields.otherOwnerOf(APP + "/resources/limits/cpu", "kube-devops-enforcer"))
        .isEqualTo("kubectl");
    assertThat(fields.otherOwnerOf(APP + "/resources", "kube-devops-enforcer"))
        .isEqualTo("kubectl");
    assertThat(fields.otherOwnerOf(APP + "/resources/limits/memory", "kube-devops-enforcer"))
        .isNull();
    assertThat(fields.otherOwnerOf(APP + "/livenessProbe", "kube-devops-enforcer")).isNull();
    // its own fields are its own, whether applied or updated; replicas set through /scale not
    assertThat(fields.otherOwnerOf(SIDECAR + "/livenessProbe", "kube-devops-enforcer")).isNull();
    assertThat(fields.otherOwnerOf("/spec/replicas", "kube-devops-enforcer"))
        .isEqualTo("kube-controller-manager");
    assertThat(fields.otherOwnerOf(SIDECAR + "/livenessProbe", "someone-else"))
        .isEqualTo("kube-devops-enforcer");
  }

  @Test
  void anEntryForAnItemNoLongerThereIsSkipped() {
    ObjectNode changed = DEPLOYMENT.deepCopy();
    ((ObjectNode) changed.at(SIDECAR)).put("name", "proxy");

    assertThat(new ManagedFields(changed).appliedBy("kube-devops-enforcer"))
        .containsExactly("/metadata/annotations/devops.stochastic.io~1patched-by");
  }

  @Test
  void anApplyBodyCarriesOnlyTheFieldsGivenAndTheKeysOfTheItemsOnTheWay() {
    ObjectNode body = ApplyConfiguration.of(DEPLOYMENT, List.of(
        APP + "/livenessProbe", SIDECAR + "/livenessProbe/tcpSocket/port", SIDECAR,
        APP + "/ports/0/containerPort", "/spec/selector", "/spec/absent"));

    assertThat(body).isEqualTo(read("""
        {"apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": {"name": "web", "namespace": "shop"},
         "spec": {"template": {"spec": {"containers": [
           {"name": "app", "ports": [{"containerPort": 8080, "protocol": "TCP"}]},
           {"name": "sidecar", "livenessProbe": {"tcpSocket": {"port": 9901}}}]}},
           "selector": {"matchLabels": {"app": "web"}}}}
        """));
  }

  @Test
  void throughAListWithoutKeysTheWholeListIsCarried() {
    JsonNode pod = read("""
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
         "spec": {"containers": [{"name": "a", "args": ["--x", "--y"],
           "securityContext": {"capabilities": {"drop": ["ALL"], "add": ["NET_ADMIN"]}}}]}}
        """);

    ObjectNode body = ApplyConfiguration.of(pod, List.of("/spec/containers/0/args/1",
        "/spec/containers/0/securityContext/capabilities/drop"));

    assertThat(body.at("/spec/containers/0")).isEqualTo(read("""
        {"name": "a", "args": ["--x", "--y"], "securityContext": {"capabilities":
          {"drop": ["ALL"]}}}
        """));
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
