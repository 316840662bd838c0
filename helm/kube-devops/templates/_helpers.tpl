{{/*
Names and labels shared by every template. Objects are named kube-devops-<component> whatever
the release is called: the Leases, Services, dashboards and alerts of the whole project use
these names (DESIGN.md §4), and the cluster-scoped objects exist once per cluster anyway.
*/}}

{{- define "kube-devops.name" -}}
kube-devops-{{ . }}
{{- end }}

{{- define "kube-devops.version" -}}
{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{/* The labels a component's pods are selected by: never changed on upgrade (selectors are immutable). */}}
{{- define "kube-devops.selectorLabels" -}}
app.kubernetes.io/name: kube-devops
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* What every object carries besides its selector labels. */}}
{{- define "kube-devops.commonLabels" -}}
app.kubernetes.io/part-of: kube-devops
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ include "kube-devops.version" . | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end }}

{{/* Every object's labels. Call with (dict "root" $ "component" "operator"). */}}
{{- define "kube-devops.labels" -}}
{{ include "kube-devops.selectorLabels" . }}
{{ include "kube-devops.commonLabels" .root }}
{{- end }}

{{/*
A workload's own labels: app.kubernetes.io/instance is the workload's name here (what the
metadataAndInstanceMismatched check asks of a workload), while its pods, Services and every
other object carry the release, which selectors and Prometheus's relabelling read.
*/}}
{{- define "kube-devops.workloadLabels" -}}
app.kubernetes.io/name: kube-devops
app.kubernetes.io/instance: {{ include "kube-devops.name" .component }}
app.kubernetes.io/component: {{ .component }}
{{ include "kube-devops.commonLabels" .root }}
{{- end }}

{{- define "kube-devops.image" -}}
{{ .Values.image.repository }}:{{ include "kube-devops.version" . }}
{{- end }}

{{/* The namespaces no component judges, for the webhook configurations' namespaceSelector. */}}
{{- define "kube-devops.excludedNamespaces" -}}
{{- $namespaces := concat (list "kube-system" "kube-public" "kube-node-lease" "cert-manager" .Release.Namespace) .Values.systemNamespaces -}}
{{- toYaml ($namespaces | uniq | sortAlpha) }}
{{- end }}

{{/* --system-namespace flags for the components that judge. */}}
{{- define "kube-devops.systemNamespaceArgs" -}}
{{- range .Values.systemNamespaces }}
- --system-namespace
- {{ . | quote }}
{{- end }}
{{- end }}

{{/* The pod's securityContext: non-root 1000, the runtime's seccomp profile. */}}
{{- define "kube-devops.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
fsGroup: 1000
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "kube-devops.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/*
Environment every component gets: the pod's name (the Lease holder's identity) and namespace
(where the Lease and state live), and the JVM's options (read by the JVM however it starts).
*/}}
{{- define "kube-devops.env" -}}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: JAVA_TOOL_OPTIONS
  value: {{ .javaToolOptions | quote }}
{{- end }}

{{/*
The same three files as the automounted token, with a token that expires after an hour (the
kubelet renews it, the client reads it again) instead of the automounted one, which the API
server may issue for a year to suit legacy clients.
*/}}
{{- define "kube-devops.apiCredentialsVolume" -}}
- name: api-credentials
  projected:
    sources:
      - serviceAccountToken:
          path: token
          expirationSeconds: 3600
      - configMap:
          name: kube-root-ca.crt
          items:
            - key: ca.crt
              path: ca.crt
      - downwardAPI:
          items:
            - path: namespace
              fieldRef:
                fieldPath: metadata.namespace
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- end }}

{{/* Mounts for the volumes above: the JVM's temporary files and the API credentials. */}}
{{- define "kube-devops.apiCredentialsMounts" -}}
- name: tmp
  mountPath: /tmp
- name: api-credentials
  mountPath: /var/run/secrets/kubernetes.io/serviceaccount
  readOnly: true
{{- end }}

{{/* Probes on the plain-HTTP port: /readyz takes a replica out of the Service, /healthz restarts a wedged one. */}}
{{- define "kube-devops.probes" -}}
readinessProbe:
  httpGet:
    path: /readyz
    port: metrics
  periodSeconds: 10
  failureThreshold: 3
livenessProbe:
  httpGet:
    path: /healthz
    port: metrics
  initialDelaySeconds: 30
  periodSeconds: 20
  failureThreshold: 3
{{- end }}

{{/*
Replicas spread over nodes and zones when there are some to spare (ScheduleAnyway: on one node
they still all run), and preferably not on the same node.
*/}}
{{- define "kube-devops.spread" -}}
topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: kubernetes.io/hostname
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "kube-devops.selectorLabels" . | nindent 8 }}
  - maxSkew: 1
    topologyKey: topology.kubernetes.io/zone
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "kube-devops.selectorLabels" . | nindent 8 }}
affinity:
  podAntiAffinity:
    preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          topologyKey: kubernetes.io/hostname
          labelSelector:
            matchLabels:
              {{- include "kube-devops.selectorLabels" . | nindent 14 }}
{{- end }}

{{/* nodeSelector, tolerations and image pull secrets: the component's values over the global ones. */}}
{{- define "kube-devops.placement" -}}
{{- $nodeSelector := merge (deepCopy .values.nodeSelector) .root.Values.nodeSelector }}
{{- with $nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with (concat .root.Values.tolerations .values.tolerations) }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/*
Ingress of a component's NetworkPolicy on its metrics port, and the egress every component
needs: DNS and the API server (not a pod, so no selector names it: narrow with ipBlocks).
*/}}
{{- define "kube-devops.metricsIngress" -}}
- from:
    {{- toYaml .root.Values.networkPolicies.metricsFrom | nindent 4 }}
  ports:
    - {protocol: TCP, port: {{ .port }}}
{{- end }}

{{- define "kube-devops.baseEgress" -}}
- to:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: kube-system
      podSelector:
        matchLabels:
          k8s-app: kube-dns
  ports:
    - {protocol: UDP, port: 53}
    - {protocol: TCP, port: 53}
- ports:
    {{- range .Values.networkPolicies.apiServerPorts }}
    - {protocol: TCP, port: {{ . }}}
    {{- end }}
{{- end }}
