{{- define "orders.fullname" -}}
{{- printf "%s-%s" .Release.Name "orders" | trunc 63 | trimSuffix "-" -}}
{{- end -}}
