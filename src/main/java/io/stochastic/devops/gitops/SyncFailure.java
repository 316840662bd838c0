package io.stochastic.devops.gitops;

/**
 * An object of the tree the cluster refused (or a CRD that did not become Established); it is
 * retried on the next round.
 *
 * @param source where it is declared ({@code policies/namespaces/shop/policy.yaml#0})
 * @param object {@code kind/namespace/name}
 * @param message why, in one line
 */
public record SyncFailure(String source, String object, String message) {}
