package io.stochastic.devops.engine.workload;

import java.util.Map;

/**
 * One container of a workload's pod template, with its status when the object is a live pod.
 *
 * @param pointer JSON pointer of the container inside the whole object
 */
public record ContainerRef(ContainerType type, int index, String name,
    Map<String, Object> spec, Map<String, Object> status, String pointer) {}
