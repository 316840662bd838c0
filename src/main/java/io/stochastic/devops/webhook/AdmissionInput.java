package io.stochastic.devops.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.stochastic.devops.engine.input.KubeObject;
import io.stochastic.devops.engine.input.ObjectTrees;

/**
 * What the webhook reads of an AdmissionReview v1: the request's identity and operation from
 * fabric8's model, and the object and old object through {@link ObjectTrees}, the normalisation
 * every source shares, so that an object gets the same verdict here as from a file or a cluster.
 * The objects are taken from the JSON tree, not from the model, which would bind them to typed
 * classes (and refuse kinds it does not know).
 *
 * @param kind the kind of the object ({@code request.kind.kind}), for metrics and messages
 * @param object the object as it would be stored; null for DELETE and CONNECT
 * @param oldObject the object before an UPDATE; null otherwise
 */
public record AdmissionInput(String uid, String operation, String kind, String namespace,
    String name, boolean dryRun, KubeObject object, KubeObject oldObject) {

  /** Parses a review; throws {@link MalformedReview} saying what is missing or wrong. */
  public static AdmissionInput parse(JsonNode review, ObjectMapper mapper) {
    if (review == null || !review.isObject()) {
      throw new MalformedReview("the body is not a JSON object");
    }
    JsonNode requestNode = review.get("request");
    if (requestNode == null || !requestNode.isObject()) {
      throw new MalformedReview("the AdmissionReview has no request");
    }
    if (!"admission.k8s.io/v1".equals(review.path("apiVersion").asText())) {
      throw new MalformedReview("apiVersion must be admission.k8s.io/v1, not '"
          + review.path("apiVersion").asText() + "'");
    }
    JsonNode objectNode = requestNode.get("object");
    JsonNode oldNode = requestNode.get("oldObject");
    ObjectNode envelope = review.deepCopy();
    ObjectNode request = (ObjectNode) envelope.get("request");
    request.remove("object");
    request.remove("oldObject");
    AdmissionRequest parsed;
    try {
      parsed = mapper.treeToValue(envelope, AdmissionReview.class).getRequest();
    } catch (Exception e) {
      throw new MalformedReview("not an AdmissionReview: " + String.valueOf(e.getMessage())
          .lines().findFirst().orElse(""), e);
    }
    if (parsed.getUid() == null || parsed.getUid().isBlank()) {
      throw new MalformedReview("the request has no uid");
    }
    String namespace = parsed.getNamespace() == null || parsed.getNamespace().isEmpty()
        ? null : parsed.getNamespace();
    String kind = parsed.getKind() != null ? parsed.getKind().getKind() : null;
    String operation = parsed.getOperation() == null ? "" : parsed.getOperation();
    try {
      KubeObject object = toObject(objectNode, namespace, "admission " + parsed.getUid());
      KubeObject old = toObject(oldNode, namespace, "admission " + parsed.getUid() + " (old)");
      if (kind == null && object != null) {
        kind = object.kind();
      }
      return new AdmissionInput(parsed.getUid(), operation, kind == null ? "" : kind, namespace,
          parsed.getName(), Boolean.TRUE.equals(parsed.getDryRun()), object, old);
    } catch (IllegalArgumentException e) {
      throw new MalformedReview("unreadable object: " + e.getMessage(), e);
    }
  }

  private static KubeObject toObject(JsonNode node, String namespace, String source) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (!node.isObject()) {
      throw new MalformedReview("object and oldObject must be JSON objects");
    }
    // the API server leaves metadata.namespace unset on a create; the request names it
    return new KubeObject(ObjectTrees.tree(node), source, namespace);
  }

  /** {@code Kind/namespace/name} of the object, as messages name it. */
  public String displayName() {
    if (object != null) {
      return object.displayName();
    }
    String n = name == null ? "" : name;
    return namespace == null ? kind + "/" + n : kind + "/" + namespace + "/" + n;
  }
}
