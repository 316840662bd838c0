package io.stochastic.devops.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Selects the API server a {@code KubernetesClient}, {@link TestingNamespace} or {@link
 * TestingApiServer} parameter comes from. Each name is its own kube-apiserver + etcd, started on
 * first use and shared by every test of the run that names it; unannotated parameters use {@link
 * #PRIMARY}. Multi-cluster tests ask for a second one:
 *
 * <pre>{@code
 * void audit(KubernetesClient prod, @Cluster("second") KubernetesClient staging) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Cluster {
  String PRIMARY = "primary";

  String value();
}
