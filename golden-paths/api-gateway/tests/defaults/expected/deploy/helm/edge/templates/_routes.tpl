{{/* A route's resource name: the gateway's name and the path, e.g. edge-api-orders. */}}
{{- define "edge.routeName" -}}
{{- $slug := trimPrefix "/" .path | replace "/" "-" | replace "_" "-" | replace "." "-" | lower | default "root" }}
{{- printf "edge-%s" $slug | trunc 63 | trimSuffix "-" }}
{{- end }}
