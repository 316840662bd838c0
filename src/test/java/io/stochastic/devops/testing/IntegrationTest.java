package io.stochastic.devops.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class (named {@code *IT} or {@code *E2E}, so that Failsafe runs it in {@code
 * verify}) whose test and lifecycle methods take harness parameters; see {@link
 * IntegrationTestExtension} for what each parameter type gives and how long it lives.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@ExtendWith(IntegrationTestExtension.class)
public @interface IntegrationTest {}
