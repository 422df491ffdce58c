{{- define "billing-api.fullname" -}}
{{- printf "%s-%s" .Release.Name "billing-api" | trunc 63 | trimSuffix "-" -}}
{{- end -}}
