#!/bin/sh
# Keeps the rules Prometheus and Loki load in step with Burnrate's generated output:
#   rules/prometheus/<team>/<service>.yaml -> $RULES_DST/prometheus/<team>__<service>.yaml
#     (Prometheus globs only the last path element; promtool unit tests, *.test.yaml, stay
#     out because Prometheus cannot load them as rules)
#   rules/loki/<team>/<service>.yaml       -> $RULES_DST/loki/fake/<team>__<service>.yaml
#     (Loki's local rule store reads one flat directory per tenant; `fake` is the only
#     tenant while auth is off)
# Flat names cannot collide: `__` never occurs in team or service names.
# When the rules change it asks Prometheus to reload; Loki's ruler polls on its own.
# SYNC_INTERVAL=0 syncs once and exits (used by the tests).
set -eu

src="${RULES_SRC:-/rules}"
dst="${RULES_DST:-/synced}"
interval="${SYNC_INTERVAL:-30}"
reload_url="${PROMETHEUS_RELOAD_URL:-http://prometheus:9090/-/reload}"

stage() {
  next="$dst/.next"
  rm -rf "$next"
  mkdir -p "$next/prometheus" "$next/loki/fake"
  for file in "$src"/prometheus/*/*.yaml "$src"/prometheus/*/*.yml; do
    [ -f "$file" ] || continue
    case "$file" in *.test.yaml | *.test.yml) continue ;; esac
    team="$(basename "$(dirname "$file")")"
    cp "$file" "$next/prometheus/${team}__$(basename "$file")"
  done
  for file in "$src"/loki/*/*.yaml "$src"/loki/*/*.yml; do
    [ -f "$file" ] || continue
    team="$(basename "$(dirname "$file")")"
    cp "$file" "$next/loki/fake/${team}__$(basename "$file")"
  done
}

fingerprint() {
  (cd "$dst/.next" && find . -type f | sort | xargs -r md5sum | md5sum)
}

publish() {
  rm -rf "$dst/prometheus" "$dst/loki"
  mv "$dst/.next/prometheus" "$dst/prometheus"
  mv "$dst/.next/loki" "$dst/loki"
  rm -rf "$dst/.next"
  touch "$dst/.synced"
}

last=''
while :; do
  stage
  current="$(fingerprint)"
  if [ "$current" != "$last" ]; then
    publish
    # The first sync happens before Prometheus starts; later ones need a reload.
    if [ -n "$last" ]; then
      wget -q -O /dev/null --post-data '' "$reload_url" || echo "rules-sync: Prometheus reload failed" >&2
    fi
    echo "rules-sync: rules updated" >&2
    last="$current"
  fi
  [ "$interval" = 0 ] && exit 0
  sleep "$interval"
done
