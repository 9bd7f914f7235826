#!/bin/sh
# Save SendGrid dynamic templates as JSON, one file per template, named after the template.
set -eu
for id in "$@"; do
  json=$(curl -sf -H "Authorization: Bearer $SENDGRID_API_KEY" \
    "https://api.sendgrid.com/v3/templates/$id")
  name=$(printf '%s' "$json" | jq -r '.name | ascii_downcase | gsub("[^a-z0-9]+"; "-")')
  printf '%s\n' "$json" | jq . > "templates/$name.json"
done
