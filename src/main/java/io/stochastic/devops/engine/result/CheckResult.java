package io.stochastic.devops.engine.result;

import io.stochastic.devops.engine.Category;
import io.stochastic.devops.engine.Severity;

/**
 * One applicable check judged on one subject (and one container, for container checks).
 *
 * @param container the container's name, or null for checks on the pod, workload or object
 * @param message the rendered failure message, or the check's description when it passed
 * @param error the check could not be evaluated on this subject (counted as failed)
 * @param pointer JSON pointer of what the check judged inside the object (a container, the pod
 *     template, or "" for the object itself); remediation patches are relative to it
 */
public record CheckResult(String check, Severity severity, Category category, boolean passed,
    String container, String message, boolean remediable, boolean error, String pointer) {}
