{{- define "[[ service_name ]].fullname" -}}
{{- printf "%s-%s" .Release.Name "[[ service_name ]]" | trunc 63 | trimSuffix "-" -}}
{{- end -}}
