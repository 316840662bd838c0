{{/*
A long-running component: its Deployment, PodDisruptionBudget and Service. Call with
(dict "root" $ "component" "operator" "values" .Values.operator "args" (list ...)
     "ports" (list (dict "name" "https" "containerPort" 8443 "servicePort" 443))
     "metricsPort" 9090 "volumes" "" "volumeMounts" "").
*/}}
{{- define "kube-devops.deployment" -}}
{{- $name := include "kube-devops.name" .component }}
{{- $selector := dict "root" .root "component" .component }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "kube-devops.workloadLabels" $selector | nindent 4 }}
spec:
  replicas: {{ .values.replicas }}
  revisionHistoryLimit: 3
  selector:
    matchLabels:
      {{- include "kube-devops.selectorLabels" $selector | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      # A new pod before an old one goes: a standby (or a serving replica) always exists.
      maxSurge: 1
      maxUnavailable: 0
  template:
    metadata:
      labels:
        {{- include "kube-devops.labels" $selector | nindent 8 }}
      {{- with .podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      serviceAccountName: {{ $name }}
      automountServiceAccountToken: false
      {{- if .root.Values.priorityClasses.create }}
      priorityClassName: {{ .root.Values.priorityClasses.components.name }}
      {{- end }}
      enableServiceLinks: false
      # SIGTERM lets the work in flight finish, then releases the Lease.
      terminationGracePeriodSeconds: 60
      securityContext:
        {{- include "kube-devops.podSecurityContext" . | nindent 8 }}
      {{- include "kube-devops.spread" $selector | nindent 6 }}
      {{- include "kube-devops.placement" . | nindent 6 }}
      containers:
        - name: {{ .component }}
          image: {{ include "kube-devops.image" .root }}
          imagePullPolicy: {{ .root.Values.image.pullPolicy }}
          # The image's entrypoint is the kube-devops CLI.
          args:
            {{- toYaml .args | nindent 12 }}
          env:
            {{- include "kube-devops.env" .values | nindent 12 }}
          ports:
            - name: metrics
              containerPort: {{ .metricsPort }}
              protocol: TCP
            {{- range .ports }}
            - name: {{ .name }}
              containerPort: {{ .containerPort }}
              protocol: TCP
            {{- end }}
          {{- include "kube-devops.probes" . | nindent 10 }}
          resources:
            {{- toYaml .values.resources | nindent 12 }}
          securityContext:
            {{- include "kube-devops.containerSecurityContext" . | nindent 12 }}
          volumeMounts:
            {{- include "kube-devops.apiCredentialsMounts" . | nindent 12 }}
            {{- with .volumeMounts }}
            {{- . | nindent 12 }}
            {{- end }}
      volumes:
        {{- include "kube-devops.apiCredentialsVolume" . | nindent 8 }}
        {{- with .volumes }}
        {{- . | nindent 8 }}
        {{- end }}
---
# Node drains and upgrades take one replica at a time.
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ $name }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "kube-devops.labels" $selector | nindent 4 }}
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      {{- include "kube-devops.selectorLabels" $selector | nindent 6 }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "kube-devops.labels" $selector | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "kube-devops.selectorLabels" $selector | nindent 4 }}
  ports:
    - name: metrics
      port: {{ .metricsPort }}
      targetPort: metrics
      protocol: TCP
    {{- range .ports }}
    - name: {{ .name }}
      port: {{ .servicePort }}
      targetPort: {{ .name }}
      protocol: TCP
    {{- end }}
{{- end }}

{{/* A component's NetworkPolicy: metrics in, DNS and the API server out, plus .ingress and .egress. */}}
{{- define "kube-devops.networkPolicy" -}}
{{- $selector := dict "root" .root "component" .component }}
{{- if .root.Values.networkPolicies.enabled }}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "kube-devops.name" .component }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "kube-devops.labels" $selector | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "kube-devops.selectorLabels" $selector | nindent 6 }}
  policyTypes: [Ingress, Egress]
  {{- if or .metricsPort .ingress }}
  ingress:
    {{- if .metricsPort }}
    {{- include "kube-devops.metricsIngress" (dict "root" .root "port" .metricsPort) | nindent 4 }}
    {{- end }}
    {{- with .ingress }}
    {{- . | nindent 4 }}
    {{- end }}
  {{- else }}
  # No ingress rule: every incoming connection is refused.
  ingress: []
  {{- end }}
  egress:
    {{- include "kube-devops.baseEgress" .root | nindent 4 }}
    {{- with .egress }}
    {{- . | nindent 4 }}
    {{- end }}
{{- end }}
{{- end }}
