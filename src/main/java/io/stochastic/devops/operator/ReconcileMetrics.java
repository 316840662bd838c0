package io.stochastic.devops.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.stochastic.devops.metrics.OperatorMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JOSDK's monitoring hooks fed into {@link OperatorMetrics}. JOSDK calls them around the whole
 * execution — the reconciler and the status patch it asked for — so a refused patch counts as
 * a failed reconcile and its time is in the histogram, which the reconciler alone could not see.
 */
final class ReconcileMetrics implements Metrics {
  private final OperatorMetrics metrics;
  private final Map<ResourceID, Long> started = new ConcurrentHashMap<>();

  ReconcileMetrics(OperatorMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void reconciliationExecutionStarted(HasMetadata resource, Map<String, Object> metadata) {
    started.put(ResourceID.fromResource(resource), System.nanoTime());
  }

  @Override
  public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
    metrics.reconciled(took(resource));
  }

  @Override
  public void failedReconciliation(HasMetadata resource, Exception exception,
      Map<String, Object> metadata) {
    metrics.failed(took(resource));
  }

  private Duration took(HasMetadata resource) {
    Long start = started.remove(ResourceID.fromResource(resource));
    return start == null ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - start);
  }
}
