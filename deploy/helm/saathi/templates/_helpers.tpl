{{/* Names, labels and the per-component view of the values. */}}

{{- define "saathi.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "saathi.fullname" -}}
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

{{/* The six services, in the order the platform's events flow. */}}
{{- define "saathi.components" -}}
intake matching sessions aftercare notify console
{{- end -}}

{{/* Services with a database (and so a migration): all but the console. */}}
{{- define "saathi.databaseComponents" -}}
intake matching sessions aftercare notify
{{- end -}}

{{/* A component's resource name: <fullname>-<component>. */}}
{{- define "saathi.componentName" -}}
{{- printf "%s-%s" (include "saathi.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "saathi.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "saathi.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: saathi
{{- end -}}

{{/* Selector labels of one component (dict root, name). */}}
{{- define "saathi.selectorLabels" -}}
app.kubernetes.io/name: {{ include "saathi.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "saathi.componentLabels" -}}
{{ include "saathi.labels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{/* The component's values merged over `defaults`, as YAML (use with fromYaml). */}}
{{- define "saathi.component" -}}
{{- $own := index .root.Values.components .name | default dict -}}
{{- toYaml (mustMergeOverwrite (deepCopy .root.Values.defaults) (deepCopy $own)) -}}
{{- end -}}

{{- define "saathi.image" -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion -}}
{{- if .Values.image.digest -}}
{{- printf "%s:%s@%s" .Values.image.repository $tag .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{- define "saathi.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "saathi.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The env prefix of a component's settings: INTAKE_, MATCHING_, … */}}
{{- define "saathi.prefix" -}}
{{- printf "%s_" (upper .) -}}
{{- end -}}

{{/* A plain setting's value as the settings class parses it: strings as they are, the rest as JSON. */}}
{{- define "saathi.settingValue" -}}
{{- if kindIs "string" . -}}{{ . }}{{- else -}}{{ toJson . }}{{- end -}}
{{- end -}}

{{- define "saathi.cnpgCluster" -}}
{{- default (printf "%s-db" (include "saathi.fullname" .)) .Values.postgresql.cloudnativepg.clusterName -}}
{{- end -}}

{{/* The URL of the services' HTTP Service for another component (console → services). */}}
{{- define "saathi.serviceUrl" -}}
{{- $c := include "saathi.component" . | fromYaml -}}
{{- printf "http://%s:%v" (include "saathi.componentName" .) (default $c.port $c.service.port) -}}
{{- end -}}

{{/* The plain (non-secret) settings of a component, as env name: value (dict root, name). */}}
{{- define "saathi.configData" -}}
{{- $root := .root -}}
{{- $name := .name -}}
{{- $c := include "saathi.component" . | fromYaml -}}
{{- $p := include "saathi.prefix" $name -}}
{{- $data := dict -}}
{{- $_ := set $data (print $p "HTTP_HOST") $c.host -}}
{{- $_ := set $data (print $p "HTTP_PORT") (toJson $c.port) -}}
{{- $_ := set $data (print $p "SHUTDOWN_GRACE_S") (toJson $c.shutdownGraceSeconds) -}}
{{- $_ := set $data (print $p "LOG_LEVEL") $root.Values.logging.level -}}
{{- $_ := set $data (print $p "LOG_JSON") (toString $root.Values.logging.json) -}}
{{- $_ := set $data (print $p "NATS_URL") $root.Values.nats.url -}}
{{- $_ := set $data (print $p "AUTH_REQUIRED") (toString $root.Values.auth.required) -}}
{{- $_ := set $data (print $p "AUTH_AUDIENCE") $root.Values.auth.audience -}}
{{- $_ := set $data (print $p "AUTH_ALGORITHMS") (toJson $root.Values.auth.algorithms) -}}
{{- $_ := set $data (print $p "AUTH_LEEWAY_S") (toJson $root.Values.auth.leewaySeconds) -}}
{{- if $root.Values.auth.issuer }}{{- $_ := set $data (print $p "AUTH_ISSUER") $root.Values.auth.issuer -}}{{- end -}}
{{- if $root.Values.auth.jwksUrl }}{{- $_ := set $data (print $p "AUTH_JWKS_URL") $root.Values.auth.jwksUrl -}}{{- end -}}
{{- if and $c.nats.user (not $c.nats.userKey) }}{{- $_ := set $data (print $p "NATS_USER") $c.nats.user -}}{{- end -}}
{{- if $root.Values.nats.tls.enabled -}}
{{- $_ := set $data (print $p "NATS_TLS_CA_PATH") "/etc/saathi/nats-ca/ca.crt" -}}
{{- if and $root.Values.nats.tls.clientCertificates $c.nats.tlsSecret -}}
{{- $_ := set $data (print $p "NATS_TLS_CERT_PATH") "/etc/saathi/nats-client/tls.crt" -}}
{{- $_ := set $data (print $p "NATS_TLS_KEY_PATH") "/etc/saathi/nats-client/tls.key" -}}
{{- end -}}
{{- end -}}
{{- if ne $name "console" -}}
{{- $_ := set $data (print $p "MANAGE_STREAMS") "false" -}}
{{- $_ := set $data (print $p "MIGRATE_ON_START") "false" -}}
{{- $_ := set $data (print $p "STREAM_REPLICAS") (toJson $root.Values.nats.streamReplicas) -}}
{{- end -}}
{{- if eq $name "intake" -}}
{{- $_ := set $data "INTAKE_MLLP_ENABLED" (toString $c.mllp.enabled) -}}
{{- $_ := set $data "INTAKE_MLLP_HOST" $c.host -}}
{{- $_ := set $data "INTAKE_MLLP_PORT" (toJson $c.mllp.port) -}}
{{- $_ := set $data "INTAKE_MLLP_MAX_MESSAGE_BYTES" (toJson $c.mllp.maxMessageBytes) -}}
{{- if $c.mllp.tls.existingSecret -}}
{{- $_ := set $data "INTAKE_MLLP_TLS_CERT_PATH" "/etc/saathi/mllp-tls/tls.crt" -}}
{{- $_ := set $data "INTAKE_MLLP_TLS_KEY_PATH" "/etc/saathi/mllp-tls/tls.key" -}}
{{- if $c.mllp.tls.clientCa -}}
{{- $_ := set $data "INTAKE_MLLP_TLS_CLIENT_CA_PATH" "/etc/saathi/mllp-tls/ca.crt" -}}
{{- end -}}
{{- end -}}
{{- if $c.hl7Senders }}{{- $_ := set $data "INTAKE_HL7_SENDERS" (toJson $c.hl7Senders) -}}{{- end -}}
{{- end -}}
{{- if eq $name "console" -}}
{{- range $service := splitList " " (include "saathi.databaseComponents" $root) -}}
{{- $_ := set $data (printf "CONSOLE_%s_URL" (upper $service)) (include "saathi.serviceUrl" (dict "root" $root "name" $service)) -}}
{{- end -}}
{{- end -}}
{{- if and (has $name (list "console" "notify")) $c.ingress.enabled -}}
{{- $_ := set $data (print $p "PUBLIC_URL") (printf "https://%s" $c.ingress.host) -}}
{{- end -}}
{{- if $root.Values.otel.endpoint -}}
{{- $_ := set $data "OTEL_EXPORTER_OTLP_ENDPOINT" $root.Values.otel.endpoint -}}
{{- $_ := set $data "OTEL_SERVICE_NAME" $name -}}
{{- $attributes := printf "service.namespace=saathi,deployment.environment=%s" $root.Release.Namespace -}}
{{- if $root.Values.otel.resourceAttributes }}{{- $attributes = printf "%s,%s" $attributes $root.Values.otel.resourceAttributes -}}{{- end -}}
{{- $_ := set $data "OTEL_RESOURCE_ATTRIBUTES" $attributes -}}
{{- end -}}
{{- range $key, $value := $c.settings -}}
{{- $_ := set $data (print $p (upper $key)) (include "saathi.settingValue" $value) -}}
{{- end -}}
{{- toYaml $data -}}
{{- end -}}

{{/* The env entries that come from Secrets (dict root, name). */}}
{{- define "saathi.secretEnv" -}}
{{- $root := .root -}}
{{- $c := include "saathi.component" . | fromYaml -}}
{{- $p := include "saathi.prefix" .name -}}
{{- if ne .name "console" }}
{{- if $root.Values.postgresql.cloudnativepg.enabled }}
- name: SAATHI_DATABASE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ printf "%s-%s" $root.Values.postgresql.cloudnativepg.roleSecretPrefix .name }}
      key: password
- name: {{ $p }}DATABASE_URL
  value: {{ printf "postgresql+asyncpg://%s:$(SAATHI_DATABASE_PASSWORD)@%s-rw:5432/%s" .name (include "saathi.cnpgCluster" $root) .name | quote }}
{{- else }}
- name: {{ $p }}DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ required (printf "components.%s.database.existingSecret is required" .name) $c.database.existingSecret }}
      key: {{ $c.database.key }}
{{- end }}
{{- end }}
{{- if and $c.nats.existingSecret $c.nats.userKey }}
- name: {{ $p }}NATS_USER
  valueFrom:
    secretKeyRef:
      name: {{ $c.nats.existingSecret }}
      key: {{ $c.nats.userKey }}
{{- end }}
{{- if $c.nats.existingSecret }}
- name: {{ $p }}NATS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $c.nats.existingSecret }}
      key: {{ $c.nats.passwordKey }}
{{- end }}
{{- range $key, $ref := $c.secretSettings }}
- name: {{ print $p (upper $key) }}
  valueFrom:
    secretKeyRef:
      name: {{ $ref.name }}
      key: {{ $ref.key }}
{{- end }}
{{- end -}}

{{/* Annotations of a one-off Job: a Helm hook, or (mode job) an Argo CD sync wave. */}}
{{- define "saathi.jobAnnotations" -}}
{{- if eq .mode "hook" -}}
helm.sh/hook: pre-install,pre-upgrade
helm.sh/hook-weight: {{ .weight | quote }}
helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
{{- else -}}
argocd.argoproj.io/sync-wave: {{ .weight | quote }}
{{- end -}}
{{- end -}}

{{/* A one-off Job's pod spec fields shared by migrations and stream provisioning. In hook mode
the chart's ServiceAccount does not exist yet (hooks run first): the namespace default is used. */}}
{{- define "saathi.jobPodSpec" -}}
restartPolicy: Never
{{- if or (ne .mode "hook") (not .root.Values.serviceAccount.create) }}
serviceAccountName: {{ include "saathi.serviceAccountName" .root }}
{{- end }}
automountServiceAccountToken: false
enableServiceLinks: false
{{- with .root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .root.Values.defaults.podSecurityContext | nindent 2 }}
{{- with .root.Values.defaults.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .root.Values.defaults.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* A Job's name: it carries the image, so a new version is a new Job (a Job's pod template
cannot change) while re-applying the same version changes nothing. */}}
{{- define "saathi.jobName" -}}
{{- printf "%s-%s-%s" (include "saathi.fullname" .root) .suffix (include "saathi.image" .root | sha256sum | trunc 8) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Each consuming service's durable JetStream consumers as stream/durable (from the code:
docs/events/catalogue.md; a chart test compares them with the services' consumer specs). */}}
{{- define "saathi.consumers" -}}
matching:
  - {stream: SAATHI_INTAKE, durable: matching-intake-events}
  - {stream: SAATHI_AFTERCARE, durable: matching-nominations}
sessions:
  - {stream: SAATHI_MATCHING, durable: sessions-match-events}
  - {stream: SAATHI_MATCHING, durable: sessions-mentor-events}
  - {stream: SAATHI_AFTERCARE, durable: sessions-aftercare-enrolments}
  - {stream: SAATHI_AFTERCARE, durable: sessions-alumni}
  - {stream: SAATHI_NOTIFY, durable: sessions-notify-events}
  - {stream: SAATHI_INTAKE, durable: sessions-intake-events}
aftercare:
  - {stream: SAATHI_INTAKE, durable: aftercare-intake-events}
  - {stream: SAATHI_MATCHING, durable: aftercare-match-events}
  - {stream: SAATHI_SESSIONS, durable: aftercare-group-events}
  - {stream: SAATHI_SESSIONS, durable: aftercare-meeting-events}
notify:
  - {stream: SAATHI_SESSIONS, durable: notify-sessions-events}
  - {stream: SAATHI_MATCHING, durable: notify-match-events}
  - {stream: SAATHI_AFTERCARE, durable: notify-aftercare-events}
{{- end -}}
