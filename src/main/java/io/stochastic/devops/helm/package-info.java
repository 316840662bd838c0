/**
 * Helm charts as a source of manifests: {@link io.stochastic.devops.helm.HelmChart} renders a
 * chart in-process with the real Helm (helm-java, a native library loaded on first use) and
 * reads what it renders through the engine's manifest reader, each object's source naming its
 * template. Only the CLI's {@code audit --helm-chart} uses it, so a run without a chart never
 * loads Helm.
 */
package io.stochastic.devops.helm;
