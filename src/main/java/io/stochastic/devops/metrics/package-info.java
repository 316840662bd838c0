/**
 * Every metric kube-devops exposes or pushes, named and defined in one place.
 *
 * <p>Rules, so that dashboards and alerts can rely on them:
 *
 * <ul>
 *   <li>Names are {@code kube_devops_<component>_<name>_<unit|total>}: base units ({@code
 *       _seconds}, {@code _bytes}), {@code _total} only on counters, no unit on plain counts and
 *       on scores (0–100, DESIGN.md §1 Scoring).
 *   <li>One final class per component ({@link io.stochastic.devops.metrics.AuditorMetrics}; later
 *       {@code OperatorMetrics}, {@code WebhookMetrics}, {@code SyncMetrics}, {@code WatchMetrics}).
 *       It holds the names as constants (to grep for and to use in tests and alert rules), builds
 *       every metric with client_java's builders against a registry it is given, and offers one
 *       method per metric whose parameters are the label values in order. Callers never see a
 *       label list, so label order and label values (severity ids, {@code none}) stay here.
 *   <li>Label names shared across components are in {@link io.stochastic.devops.metrics.MetricLabels}.
 * </ul>
 *
 * <p>The registry is the caller's: a long-running component registers its metrics once in the
 * registry its {@code /metrics} endpoint serves; the batch auditor builds a fresh registry for
 * each push, so that nothing of an earlier run is pushed again.
 */
package io.stochastic.devops.metrics;
