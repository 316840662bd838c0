package io.stochastic.devops.webhook;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A {@link Verdict} as the AdmissionReview v1 the API server expects back. */
public final class AdmissionResponses {
  private AdmissionResponses() {}

  public static AdmissionReview review(String uid, Verdict verdict) {
    AdmissionResponseBuilder response = new AdmissionResponseBuilder()
        .withUid(uid)
        .withAllowed(verdict.allowed());
    if (!verdict.warnings().isEmpty()) {
      response.withWarnings(verdict.warnings());
    }
    if (!verdict.allowed()) {
      response.withStatus(new StatusBuilder().withCode(403).withReason("Forbidden")
          .withMessage(verdict.message()).build());
    }
    if (verdict.patch() != null && !verdict.patch().isEmpty()) {
      response.withPatchType("JSONPatch").withPatch(Base64.getEncoder().encodeToString(
          verdict.patch().toString().getBytes(StandardCharsets.UTF_8)));
    }
    AdmissionResponse built = response.build();
    return new AdmissionReviewBuilder().withApiVersion("admission.k8s.io/v1")
        .withKind("AdmissionReview").withResponse(built).build();
  }
}
