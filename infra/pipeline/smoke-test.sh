#!/usr/bin/env bash
# Smoke test of a deployed slot: GET the health endpoint until it answers 200 with "status":"ok", at most ATTEMPTS
# times DELAY seconds apart (a slot restarts after a zip deploy and its first requests may fail or time out).
# Fails on anything else once the attempts are spent: another status code, or a body whose status is not ok
# ("degraded" names the dependency that is not reachable).
#   infra/pipeline/smoke-test.sh https://<app>-staging.azurewebsites.net/api/health [ATTEMPTS=30] [DELAY=10]
set -euo pipefail

url="${1:?usage: smoke-test.sh HEALTH_URL [ATTEMPTS] [DELAY_SECONDS]}"
attempts="${2:-30}"
delay="${3:-10}"
body="$(mktemp)"
trap 'rm -f "$body"' EXIT

for ((i = 1; i <= attempts; i++)); do
  code="$(curl --silent --show-error --max-time 30 --output "$body" --write-out '%{http_code}' "$url")" || true
  if [[ "$code" == "200" ]] && grep -Eq '"status"[[:space:]]*:[[:space:]]*"ok"' "$body"; then
    echo "smoke test passed after $i attempt(s): $(head -c 2000 "$body")"
    exit 0
  fi
  echo "attempt $i/$attempts: HTTP ${code:-none} $(head -c 500 "$body" 2>/dev/null)"
  if ((i < attempts)); then
    sleep "$delay"
  fi
done
echo "smoke test failed: $url did not answer 200 with status ok in $attempts attempts" >&2
exit 1
