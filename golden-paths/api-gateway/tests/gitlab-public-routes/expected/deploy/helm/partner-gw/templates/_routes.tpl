{{/* A route's resource name: the gateway's name and the path, e.g. partner-gw-api-orders. */}}
{{- define "partner-gw.routeName" -}}
{{- $slug := trimPrefix "/" .path | replace "/" "-" | replace "_" "-" | replace "." "-" | lower | default "root" }}
{{- printf "partner-gw-%s" $slug | trunc 63 | trimSuffix "-" }}
{{- end }}
