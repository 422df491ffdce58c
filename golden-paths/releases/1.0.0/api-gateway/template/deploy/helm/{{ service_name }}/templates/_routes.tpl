{{/* A route's resource name: the gateway's name and the path, e.g. [[ service_name ]]-api-orders. */}}
{{- define "[[ service_name ]].routeName" -}}
{{- $slug := trimPrefix "/" .path | replace "/" "-" | replace "_" "-" | replace "." "-" | lower | default "root" }}
{{- printf "[[ service_name ]]-%s" $slug | trunc 63 | trimSuffix "-" }}
{{- end }}
