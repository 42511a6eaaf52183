{{/*
Helpers shared by every template. All helpers are prefixed `crm.`.
Per-service helpers take a context dict built by `crm.context`:
  root  the chart's top-level context ($)
  name  the key of the service in `.Values.services` (e.g. "leads")
  svc   the effective settings: `.Values.default` deep-merged with `.Values.services.<name>`
*/}}

{{- define "crm.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
`<release>-<chart>`, or just `<release>` when the release name already contains the chart name.
*/}}
{{- define "crm.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "crm.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Deep merge of `.src` into `.dst` (mutates `.dst`). Maps merge key by key; any other value in
`.src` (including false, 0, "" and lists) replaces the one in `.dst`. Unlike sprig's merge
functions this never drops an explicit `false` or `0`.
*/}}
{{- define "crm.deepMerge" -}}
{{- $dst := .dst -}}
{{- range $key, $value := .src -}}
{{- $current := get $dst $key -}}
{{- if and (kindIs "map" $value) (kindIs "map" $current) -}}
{{- $_ := include "crm.deepMerge" (dict "dst" $current "src" $value) -}}
{{- else -}}
{{- $_ := set $dst $key $value -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
Fill `.out` with the per-service context (root, name, svc). Usage:
  {{- $ctx := dict -}}{{- include "crm.context" (dict "root" $ "name" $name "out" $ctx) -}}
*/}}
{{- define "crm.context" -}}
{{- $svc := deepCopy .root.Values.default -}}
{{- $_ := include "crm.deepMerge" (dict "dst" $svc "src" (deepCopy (get .root.Values.services .name))) -}}
{{- $_ := set .out "root" .root -}}
{{- $_ := set .out "name" .name -}}
{{- $_ := set .out "svc" $svc -}}
{{- end -}}

{{/*
Services of the release that call `.name` (its `upstreams` list it), enabled ones, sorted,
comma-separated: the callee's NetworkPolicy admits their pods.
*/}}
{{- define "crm.svc.callers" -}}
{{- $callers := list -}}
{{- range $other := keys .root.Values.services | sortAlpha -}}
{{- $oc := dict -}}
{{- include "crm.context" (dict "root" $.root "name" $other "out" $oc) -}}
{{- if and $oc.svc.enabled (has $.name ($oc.svc.upstreams | default list)) -}}
{{- $callers = append $callers $other -}}
{{- end -}}
{{- end -}}
{{- $callers | join "," -}}
{{- end -}}

{{/* Names of the services with `type: grpc`, sorted. */}}
{{- define "crm.grpcServiceNames" -}}
{{- $names := list -}}
{{- range $name, $raw := .Values.services -}}
{{- $type := default $.Values.default.type (get $raw "type") -}}
{{- if eq $type "grpc" -}}
{{- $names = append $names $name -}}
{{- end -}}
{{- end -}}
{{- $names | sortAlpha | join "," -}}
{{- end -}}

{{/*
`<fullname>-<suffix>` within 63 characters: the release prefix is shortened, never the suffix,
so names of different services and components cannot collide.
*/}}
{{- define "crm.prefixedName" -}}
{{- $max := sub 62 (len .suffix) | int -}}
{{- $prefix := include "crm.fullname" .root | trunc $max | trimSuffix "-" -}}
{{- printf "%s-%s" $prefix .suffix -}}
{{- end -}}

{{/* `<fullname>-<service>`: the Service name and the prefix of every per-service resource. */}}
{{- define "crm.svc.fullname" -}}
{{- include "crm.prefixedName" (dict "root" .root "suffix" .name) -}}
{{- end -}}

{{/* `<fullname>-<service>-<component>`: Deployment / Job / HPA / PDB names. */}}
{{- define "crm.svc.componentName" -}}
{{- include "crm.prefixedName" (dict "root" .root "suffix" (printf "%s-%s" .name .component)) -}}
{{- end -}}

{{/* `CRM_LEADS`: the prefix of the service's environment variables. */}}
{{- define "crm.svc.envPrefix" -}}
{{- if .svc.envPrefix -}}
{{- .svc.envPrefix -}}
{{- else -}}
{{- printf "CRM_%s" (.name | replace "-" "_" | upper) -}}
{{- end -}}
{{- end -}}

{{- define "crm.svc.image" -}}
{{- $image := .svc.image -}}
{{- $registry := default $image.registry .root.Values.global.imageRegistry -}}
{{- $repository := $image.fullRepository | default (printf "%s-%s" $image.repository .name) -}}
{{- if $registry -}}
{{- $repository = printf "%s/%s" $registry $repository -}}
{{- end -}}
{{- if $image.digest -}}
{{- printf "%s@%s" $repository $image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repository (default .root.Chart.AppVersion $image.tag | toString) -}}
{{- end -}}
{{- end -}}

{{- define "crm.svc.version" -}}
{{- default .root.Chart.AppVersion .svc.image.tag | toString | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "crm.svc.secretName" -}}
{{- default (include "crm.prefixedName" (dict "root" .root "suffix" (printf "%s-secret" .name))) .svc.secret.existingSecret -}}
{{- end -}}

{{/*
Keys the service's Secret must hold, comma-separated: `<PREFIX>_DATABASE_URL` for every service
(the gateway has its own database too) and `<PREFIX>_API_KEYS` for the gateway.
*/}}
{{- define "crm.svc.requiredSecretKeys" -}}
{{- $prefix := include "crm.svc.envPrefix" . -}}
{{- $keys := list (printf "%s_DATABASE_URL" $prefix) -}}
{{- if eq .svc.type "gateway" -}}
{{- $keys = prepend $keys (printf "%s_API_KEYS" $prefix) -}}
{{- end -}}
{{- $keys | join "," -}}
{{- end -}}

{{- define "crm.svc.serviceAccountName" -}}
{{- if .svc.serviceAccount.create -}}
{{- default (include "crm.svc.fullname" .) .svc.serviceAccount.name -}}
{{- else -}}
{{- default "default" .svc.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Selector labels; `.component` (serve|relay|consume|migrate|<worker name>) is optional. */}}
{{- define "crm.svc.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- if .component }}
app.kubernetes.io/component: {{ .component }}
{{- end }}
{{- end -}}

{{- define "crm.svc.labels" -}}
{{ include "crm.svc.selectorLabels" . }}
app.kubernetes.io/part-of: {{ include "crm.name" .root }}
app.kubernetes.io/version: {{ include "crm.svc.version" . | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ include "crm.chart" .root }}
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
`metadata.annotations` (commonAnnotations + `.extra`) indented for `metadata:`, or nothing.
Use as `{{- include "crm.annotations" (dict "root" .root) }}` right after the labels.
*/}}
{{- define "crm.annotations" -}}
{{- $all := merge (dict) (.extra | default dict) (.root.Values.commonAnnotations | default dict) -}}
{{- with $all }}
  annotations:
    {{- toYaml . | nindent 4 }}
{{- end }}
{{- end -}}

{{/*
Non-secret environment of a service, as a YAML map of env var name to string. The ConfigMap
holds exactly this, and the migrations Job gets it inline.
*/}}
{{- define "crm.svc.configData" -}}
{{- $prefix := include "crm.svc.envPrefix" . -}}
{{- $env := dict -}}
{{- $_ := set $env (printf "%s_LOG_LEVEL" $prefix) (.svc.logLevel | toString) -}}
{{- if .svc.otlp.endpoint -}}
{{- $_ := set $env (printf "%s_OTLP_ENDPOINT" $prefix) (.svc.otlp.endpoint | toString) -}}
{{- end -}}
{{- $_ := set $env (printf "%s_KAFKA_BOOTSTRAP_SERVERS" $prefix) (.svc.kafka.bootstrapServers | toString) -}}
{{- $upstreams := list -}}
{{- if eq .svc.type "gateway" -}}
{{- $_ := set $env (printf "%s_PORT" $prefix) (.svc.port | toString) -}}
{{- $upstreams = splitList "," (include "crm.grpcServiceNames" .root) -}}
{{- with .svc.trustedProxies -}}
{{- $_ := set $env (printf "%s_TRUSTED_PROXIES" $prefix) (join "," .) -}}
{{- end -}}
{{- else -}}
{{- $_ := set $env (printf "%s_GRPC_PORT" $prefix) (.svc.port | toString) -}}
{{- $_ := set $env (printf "%s_OUTBOX_RETENTION_HOURS" $prefix) (.svc.outboxRetentionHours | toString) -}}
{{- $upstreams = .svc.upstreams | default list -}}
{{- end -}}
{{- /* `<PREFIX>_<UPSTREAM>_ADDR`: the upstream's Service of this release, whatever its name */ -}}
{{- range $upstream := $upstreams -}}
{{- if $upstream -}}
{{- if not (hasKey $.root.Values.services $upstream) -}}
{{- fail (printf "services.%s.upstreams: %q is not a service of this chart" $.name $upstream) -}}
{{- end -}}
{{- $upCtx := dict -}}
{{- $_ := include "crm.context" (dict "root" $.root "name" $upstream "out" $upCtx) -}}
{{- $addr := printf "%s:%s" (include "crm.svc.fullname" $upCtx) ($upCtx.svc.port | toString) -}}
{{- $addr = get $.svc.upstreamOverrides $upstream | default $addr -}}
{{- $_ := set $env (printf "%s_%s_ADDR" $prefix ($upstream | replace "-" "_" | upper)) $addr -}}
{{- end -}}
{{- end -}}
{{- range $key, $value := .svc.extraConfig -}}
{{- $_ := set $env $key ($value | toString) -}}
{{- end -}}
{{- range $key := keys $env | sortAlpha }}
{{ $key }}: {{ get $env $key | quote }}
{{- end -}}
{{- end -}}
