{{/*
The one generic workload template. Every service of the chart has the same shape, so each
manifest kind is a `define` here taking the per-service context from `crm.context`, plus:
  component  serve | relay | consume | migrate | <worker name>
  kcfg       the component's settings (`svc.serve`, `svc.relay`, `svc.consume`, `svc.migrations`,
             or the worker's entry of `svc.workers`)
  args       the container args; absent means `[<component>]`
*/}}

{{/* Context for one component of a service. */}}
{{- define "crm.componentContext" -}}
{{- $_ := set .out "root" .ctx.root -}}
{{- $_ := set .out "name" .ctx.name -}}
{{- $_ := set .out "svc" .ctx.svc -}}
{{- $_ := set .out "component" .component -}}
{{- $_ := set .out "kcfg" (get .ctx.svc (ternary "migrations" .component (eq .component "migrate"))) -}}
{{- end -}}

{{/*
Context for one extra worker process (`.worker`, a key of `svc.workers`): a Deployment like relay
and consume (no port, no Service, no probes) running `crm-<service> <args...>`. Keys missing in
the worker's entry take the values of the service's `relay` block (replicas,
terminationGracePeriodSeconds, strategy, resources); `enabled` defaults to true.
*/}}
{{- define "crm.workerContext" -}}
{{- $entry := get .ctx.svc.workers .worker | default dict -}}
{{- $kcfg := dict "enabled" true -}}
{{- range $key := list "replicas" "terminationGracePeriodSeconds" "strategy" "resources" -}}
{{- $_ := set $kcfg $key (deepCopy (get $.ctx.svc.relay $key)) -}}
{{- end -}}
{{- $_ := include "crm.deepMerge" (dict "dst" $kcfg "src" (deepCopy $entry)) -}}
{{- if not $kcfg.args -}}
{{- fail (printf "services.%s.workers.%s.args must list the process arguments, e.g. [\"work\"]" .ctx.name .worker) -}}
{{- end -}}
{{- $_ := set .out "root" .ctx.root -}}
{{- $_ := set .out "name" .ctx.name -}}
{{- $_ := set .out "svc" .ctx.svc -}}
{{- $_ := set .out "component" .worker -}}
{{- $_ := set .out "kcfg" $kcfg -}}
{{- $_ := set .out "args" $kcfg.args -}}
{{- end -}}

{{/* A probe for the serve container: native gRPC (grpc.health.v1) or HTTP GET. */}}
{{- define "crm.workload.probe" -}}
{{- if eq .svc.type "gateway" }}
httpGet:
  path: {{ .probe.path }}
  port: http
{{- else }}
grpc:
  port: {{ .svc.port }}
{{- end }}
initialDelaySeconds: {{ .probe.initialDelaySeconds }}
periodSeconds: {{ .probe.periodSeconds }}
timeoutSeconds: {{ .probe.timeoutSeconds }}
failureThreshold: {{ .probe.failureThreshold }}
successThreshold: {{ .probe.successThreshold }}
{{- end -}}

{{/*
Pod spec shared by the Deployments and the migrations Job. With `inlineEnv` the non-secret
environment is rendered as `env` (for hooks, which run before the ConfigMap exists) instead of
`envFrom: configMapRef`.
*/}}
{{- define "crm.workload.podSpec" -}}
{{- $svc := .svc -}}
{{- $kcfg := .kcfg -}}
{{- if eq .component "migrate" }}
serviceAccountName: {{ default "default" $kcfg.serviceAccountName }}
restartPolicy: Never
{{- else }}
serviceAccountName: {{ include "crm.svc.serviceAccountName" . }}
{{- end }}
automountServiceAccountToken: false
{{- if hasKey $kcfg "terminationGracePeriodSeconds" }}
terminationGracePeriodSeconds: {{ $kcfg.terminationGracePeriodSeconds }}
{{- end }}
{{- $pullSecrets := concat (.root.Values.global.imagePullSecrets | default list) ($svc.imagePullSecrets | default list) | uniq }}
{{- with $pullSecrets }}
imagePullSecrets:
  {{- range . }}
  - name: {{ . }}
  {{- end }}
{{- end }}
{{- with $svc.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
securityContext:
  {{- toYaml $svc.podSecurityContext | nindent 2 }}
{{- with $svc.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $svc.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $svc.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if and $svc.topologySpread.enabled (ne .component "migrate") }}
topologySpreadConstraints:
  - maxSkew: {{ $svc.topologySpread.maxSkew }}
    topologyKey: {{ $svc.topologySpread.topologyKey }}
    whenUnsatisfiable: {{ $svc.topologySpread.whenUnsatisfiable }}
    labelSelector:
      matchLabels:
        {{- include "crm.svc.selectorLabels" . | nindent 8 }}
{{- end }}
containers:
  - name: {{ .component }}
    image: {{ include "crm.svc.image" . }}
    imagePullPolicy: {{ $svc.image.pullPolicy }}
    {{- with $svc.command }}
    command:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    args:
      {{- toYaml (.args | default (list .component)) | nindent 6 }}
    {{- if eq .component "serve" }}
    ports:
      - name: {{ ternary "http" "grpc" (eq $svc.type "gateway") }}
        containerPort: {{ $svc.port }}
        protocol: TCP
    {{- end }}
    envFrom:
      {{- if not .inlineEnv }}
      - configMapRef:
          name: {{ include "crm.svc.fullname" . }}
      {{- end }}
      - secretRef:
          name: {{ include "crm.svc.secretName" . }}
    env:
      {{- if .inlineEnv }}
      {{- range $key, $value := fromYaml (include "crm.svc.configData" .) }}
      - name: {{ $key }}
        value: {{ $value | quote }}
      {{- end }}
      {{- end }}
      - name: POD_NAME
        valueFrom:
          fieldRef:
            fieldPath: metadata.name
      - name: POD_NAMESPACE
        valueFrom:
          fieldRef:
            fieldPath: metadata.namespace
      - name: NODE_NAME
        valueFrom:
          fieldRef:
            fieldPath: spec.nodeName
      - name: OTEL_RESOURCE_ATTRIBUTES
        value: {{ printf "service.namespace=%s,service.version=%s,service.instance.id=$(POD_NAME),k8s.namespace.name=$(POD_NAMESPACE),k8s.pod.name=$(POD_NAME),k8s.node.name=$(NODE_NAME)" (include "crm.name" .root) (include "crm.svc.version" .) | quote }}
      {{- with $svc.extraEnv }}
      {{- toYaml . | nindent 6 }}
      {{- end }}
    {{- if eq .component "serve" }}
    {{- range $probeName := list "startupProbe" "livenessProbe" "readinessProbe" }}
    {{- $probe := get $kcfg $probeName }}
    {{- if $probe.enabled }}
    {{ $probeName }}:
      {{- include "crm.workload.probe" (dict "svc" $svc "probe" $probe) | trim | nindent 6 }}
    {{- end }}
    {{- end }}
    {{- end }}
    resources:
      {{- toYaml $kcfg.resources | nindent 6 }}
    securityContext:
      {{- toYaml $svc.securityContext | nindent 6 }}
    volumeMounts:
      - name: tmp
        mountPath: /tmp
volumes:
  - name: tmp
    emptyDir:
      {{- with $svc.tmpVolume.sizeLimit }}
      sizeLimit: {{ . }}
      {{- else }}
      {}
      {{- end }}
{{- end -}}

{{/* Deployment for one component (serve | relay | consume | <worker name>). */}}
{{- define "crm.workload.deployment" -}}
{{- $kcfg := .kcfg -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "crm.svc.componentName" . }}
  namespace: {{ .root.Release.Namespace | quote }}
  labels:
    {{- include "crm.svc.labels" . | nindent 4 }}
  {{- include "crm.annotations" (dict "root" .root) }}
spec:
  {{- if not (dig "autoscaling" "enabled" false $kcfg) }}
  replicas: {{ $kcfg.replicas }}
  {{- end }}
  revisionHistoryLimit: {{ .svc.revisionHistoryLimit }}
  selector:
    matchLabels:
      {{- include "crm.svc.selectorLabels" . | nindent 6 }}
  strategy:
    {{- toYaml $kcfg.strategy | nindent 4 }}
  template:
    metadata:
      labels:
        {{- include "crm.svc.labels" . | nindent 8 }}
        {{- with .svc.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        checksum/config: {{ include "crm.svc.configData" . | sha256sum }}
        {{- if .svc.secret.create }}
        checksum/secret: {{ toJson .svc.secret.stringData | sha256sum }}
        {{- end }}
        {{- with .svc.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      {{- include "crm.workload.podSpec" . | trim | nindent 6 }}
{{- end -}}

{{/* Migrations Job (`crm-<service> migrate`) run as a pre-install / pre-upgrade hook. */}}
{{- define "crm.workload.migrationJob" -}}
{{- $kcfg := .kcfg -}}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ include "crm.svc.componentName" . }}
  namespace: {{ .root.Release.Namespace | quote }}
  labels:
    {{- include "crm.svc.labels" . | nindent 4 }}
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-weight: {{ $kcfg.hookWeight | quote }}
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
    {{- with .root.Values.commonAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  backoffLimit: {{ $kcfg.backoffLimit }}
  activeDeadlineSeconds: {{ $kcfg.activeDeadlineSeconds }}
  template:
    metadata:
      labels:
        {{- include "crm.svc.labels" . | nindent 8 }}
        {{- with .svc.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- with .svc.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      {{- include "crm.workload.podSpec" (merge (dict "inlineEnv" true) .) | trim | nindent 6 }}
{{- end -}}

{{- define "crm.workload.serviceAccount" -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "crm.svc.serviceAccountName" . }}
  namespace: {{ .root.Release.Namespace | quote }}
  labels:
    {{- include "crm.svc.labels" . | nindent 4 }}
  {{- include "crm.annotations" (dict "root" .root "extra" .svc.serviceAccount.annotations) }}
automountServiceAccountToken: false
{{- end -}}

{{- define "crm.workload.configMap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "crm.svc.fullname" . }}
  namespace: {{ .root.Release.Namespace | quote }}
  labels:
    {{- include "crm.svc.labels" . | nindent 4 }}
  {{- include "crm.annotations" (dict "root" .root) }}
data:
  {{- include "crm.svc.configData" . | trim | nindent 2 }}
{{- end -}}

{{/*
Secret created from values. It is a hook (weight -10) so that it exists before the migrations
Job runs on the first install; Helm does not delete hook resources on uninstall.
*/}}
{{- define "crm.workload.secret" -}}
{{- range $key := splitList "," (include "crm.svc.requiredSecretKeys" .) -}}
{{- if not (get $.svc.secret.stringData $key) -}}
{{- fail (printf "services.%s.secret.create is true but services.%s.secret.stringData.%s is empty" $.name $.name $key) -}}
{{- end -}}
{{- end -}}
apiVersion: v1
kind: Secret
metadata:
  name: {{ include "crm.svc.secretName" . }}
  namespace: {{ .root.Release.Namespace | quote }}
  labels:
    {{- include "crm.svc.labels" . | nindent 4 }}
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-weight: "-10"
    helm.sh/hook-delete-policy: before-hook-creation
    {{- with .root.Values.commonAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
type: Opaque
stringData:
  {{- range $k, $v := .svc.secret.stringData }}
  {{ $k }}: {{ $v | toString | quote }}
  {{- end }}
{{- end -}}

{{- define "crm.workload.service" -}}
{{- $portName := ternary "http" "grpc" (eq .svc.type "gateway") -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "crm.svc.fullname" . }}
  namespace: {{ .root.Release.Namespace | quote }}
  labels:
    {{- include "crm.svc.labels" . | nindent 4 }}
  {{- include "crm.annotations" (dict "root" .root "extra" .svc.service.annotations) }}
spec:
  type: {{ .svc.service.type }}
  selector:
    {{- include "crm.svc.selectorLabels" . | nindent 4 }}
  ports:
    - name: {{ $portName }}
      port: {{ .svc.port }}
      targetPort: {{ $portName }}
      protocol: TCP
      appProtocol: {{ $portName }}
{{- end -}}

{{- define "crm.workload.hpa" -}}
{{- $as := .kcfg.autoscaling -}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "crm.svc.componentName" . }}
  namespace: {{ .root.Release.Namespace | quote }}
  labels:
    {{- include "crm.svc.labels" . | nindent 4 }}
  {{- include "crm.annotations" (dict "root" .root) }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "crm.svc.componentName" . }}
  minReplicas: {{ $as.minReplicas }}
  maxReplicas: {{ $as.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $as.targetCPUUtilizationPercentage }}
  {{- with $as.behavior }}
  behavior:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}

{{- define "crm.workload.pdb" -}}
{{- $pdb := .kcfg.pdb -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "crm.svc.componentName" . }}
  namespace: {{ .root.Release.Namespace | quote }}
  labels:
    {{- include "crm.svc.labels" . | nindent 4 }}
  {{- include "crm.annotations" (dict "root" .root) }}
spec:
  {{- $minAvailable := $pdb.minAvailable | default "" | toString }}
  {{- if $minAvailable }}
  minAvailable: {{ $pdb.minAvailable }}
  {{- else }}
  maxUnavailable: {{ $pdb.maxUnavailable }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "crm.svc.selectorLabels" . | nindent 6 }}
{{- end -}}

{{/*
NetworkPolicy selecting every pod of a service (serve, relay, consume, workers and migrate).
Every service may reach DNS, PostgreSQL and Kafka (the gateway has its own database and its
webhooks worker consumes Kafka), the OTLP collector when set, and the serve pods of the release.
*/}}
{{- define "crm.workload.networkPolicy" -}}
{{- $np := .root.Values.networkPolicy -}}
{{- $svcNp := .svc.networkPolicy -}}
{{- $portName := ternary "http" "grpc" (eq .svc.type "gateway") -}}
{{- $clients := $svcNp.allowedClients | default list -}}
{{- range $caller := splitList "," (include "crm.svc.callers" .) -}}
{{- if $caller -}}
{{- $clients = append $clients $caller -}}
{{- end -}}
{{- end -}}
{{- if eq .svc.type "grpc" -}}
{{- $clients = prepend $clients "gateway" -}}
{{- end -}}
{{- $clients = uniq $clients -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "crm.svc.fullname" . }}
  namespace: {{ .root.Release.Namespace | quote }}
  labels:
    {{- include "crm.svc.labels" . | nindent 4 }}
  {{- include "crm.annotations" (dict "root" .root) }}
spec:
  podSelector:
    matchLabels:
      {{- include "crm.svc.selectorLabels" (dict "root" .root "name" .name) | nindent 6 }}
  policyTypes:
    - Ingress
    - Egress
  {{- if not (or $svcNp.allowExternal $clients $svcNp.extraIngress) }}
  ingress: []
  {{- else }}
  ingress:
    {{- if $svcNp.allowExternal }}
    - ports:
        - port: {{ .svc.port }}
          protocol: TCP
    {{- else if $clients }}
    - from:
        {{- range $client := $clients }}
        {{- /* the gateway calls from its serve pods; a service client from any of its
               components (serve, consumers, workers: e.g. messaging's dispatcher) */}}
        - podSelector:
            matchLabels:
              {{- if eq $client "gateway" }}
              {{- include "crm.svc.selectorLabels" (dict "root" $.root "name" $client "component" "serve") | nindent 14 }}
              {{- else }}
              {{- include "crm.svc.selectorLabels" (dict "root" $.root "name" $client) | nindent 14 }}
              {{- end }}
        {{- end }}
      ports:
        - port: {{ .svc.port }}
          protocol: TCP
    {{- end }}
    {{- with $svcNp.extraIngress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- end }}
  egress:
    {{- $targets := list "dns" "postgres" "kafka" }}
    {{- if .svc.otlp.endpoint }}{{ $targets = append $targets "otlp" }}{{ end }}
    {{- range $target := $targets }}
    {{- $rule := get $np $target }}
    - ports:
        {{- toYaml $rule.ports | nindent 8 }}
      {{- with $rule.to }}
      to:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    {{- end }}
    - to:
        - podSelector:
            matchLabels:
              app.kubernetes.io/instance: {{ .root.Release.Name }}
              app.kubernetes.io/part-of: {{ include "crm.name" .root }}
              app.kubernetes.io/component: serve
    {{- with $svcNp.extraEgress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end -}}

{{- define "crm.workload.ingress" -}}
{{- $ing := .svc.ingress -}}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ include "crm.svc.fullname" . }}
  namespace: {{ .root.Release.Namespace | quote }}
  labels:
    {{- include "crm.svc.labels" . | nindent 4 }}
  {{- include "crm.annotations" (dict "root" .root "extra" $ing.annotations) }}
spec:
  {{- with $ing.className }}
  ingressClassName: {{ . }}
  {{- end }}
  {{- with $ing.tls }}
  tls:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  rules:
    {{- range $host := $ing.hosts }}
    {{- if $host.host }}
    - host: {{ $host.host | quote }}
      http:
    {{- else }}
    - http:
    {{- end }}
        paths:
          {{- range $path := ($host.paths | default (list (dict "path" "/" "pathType" "Prefix"))) }}
          - path: {{ $path.path }}
            pathType: {{ $path.pathType | default "Prefix" }}
            backend:
              service:
                name: {{ include "crm.svc.fullname" $ }}
                port:
                  name: http
          {{- end }}
    {{- end }}
{{- end -}}
