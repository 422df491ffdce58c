{{/* Chart name, truncated to the 63 characters a DNS label allows. */}}
{{- define "[[ service_name ]].name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name: the release name, unless it lacks the chart name. */}}
{{- define "[[ service_name ]].fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "[[ service_name ]].selectorLabels" -}}
app.kubernetes.io/name: {{ include "[[ service_name ]].name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "[[ service_name ]].labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "[[ service_name ]].selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: [[ system ]]
goldpath.dev/team: [[ team ]]
{{- end }}

{{/* The Secret the workload reads its credentials from (never part of this chart's values). */}}
{{- define "[[ service_name ]].secretName" -}}
{{- .Values.secrets.name | default (printf "%s-secrets" (include "[[ service_name ]].fullname" .)) }}
{{- end }}
