#!/usr/bin/env bash
# Synthetic delivery probe of a running Alert Relay (DESIGN §3, §5; docs/deploy.md "The delivery probe").
#
# Posts one fresh Azure Monitor notification in the common alert schema (shaped like Microsoft's metric alert sample,
# with a new alertId and firedDateTime = now, so Service Bus duplicate detection never drops it) for the reserved
# tenant alertrelay-probe; checks that the webhook answers 202 with type io.alertrelay.probe; then, unless
# --webhook-only, reads GET /api/events/alertrelay-probe/{id} until the event's status is "delivered". The platform
# receives the probe like any event, signed, and acknowledges and ignores it.
#
#   infra/pipeline/probe.sh [--webhook-only] [options below]
#
# Inputs, each a flag or an environment variable (keys: prefer the environment, flags show in the process list):
#   --base-url URL       PROBE_BASE_URL       the app, without /api: https://<app>.azurewebsites.net, or
#                                             http://127.0.0.1:7071 for ./alert-relay run
#   --token TOKEN        PROBE_TOKEN          the probe tenant's token, if you have it; otherwise it is computed from
#   --token-keys KEYS    TENANT_TOKEN_KEYS    the tenant-token-keys secret (comma-separated, the first is current):
#                                             base64url(HMAC-SHA256(first key, "alertrelay-probe")), unpadded, with
#                                             openssl. Locally: local.settings.sample.json's TENANT_TOKEN_KEYS.
#   --webhook-key KEY    PROBE_WEBHOOK_KEY    AlertWebhook's function key, sent as code= (locally: not needed)
#   --admin-key KEY      PROBE_ADMIN_KEY      the host's master key, sent as header x-functions-key: the status
#                                             read is authLevel ADMIN. Required unless --webhook-only (locally: any)
#   --timeout SECONDS    PROBE_TIMEOUT        give up after this long (default 300)
#   --interval SECONDS   PROBE_INTERVAL       between status reads and webhook retries (default 5; 0.5 works)
#   --webhook-only       PROBE_WEBHOOK_ONLY=1 stop after the 202 (staging: its AlertDequeuer is disabled)
#
# Local run against ./alert-relay run:
#   PROBE_BASE_URL=http://127.0.0.1:7071 TENANT_TOKEN_KEYS=local-development-key-not-a-secret \
#     PROBE_ADMIN_KEY=local infra/pipeline/probe.sh
#
# Exit 0 when delivered (with --webhook-only: when accepted); 1 otherwise, saying why; 2 for a usage error.
# Output: the event id and each state seen; never a key, a token, or a URL with its query. curl reads the URLs and
# the key header from its standard input (--config -), so they are not on its command line either; openssl gets the
# token key as an argument, for the instant it runs.
#
# Microsoft Learn: a webhook answer that Azure Monitor would retry (408, 429, 5xx) is retried here too, with the same
# notification, so the same event id; EventStatus is authLevel ADMIN, "admin: The master key is required"
# (https://learn.microsoft.com/en-us/azure/azure-functions/functions-bindings-http-webhook-trigger#http-auth), unlike
# function level, which any host key passes and which tenant webhook URLs might carry.
set -euo pipefail

TENANT="alertrelay-probe"
PROBE_TYPE="io.alertrelay.probe"

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
  exit 2
}
fail() {
  echo "probe: FAILED: $*" >&2
  exit 1
}

base_url="${PROBE_BASE_URL:-}"
token="${PROBE_TOKEN:-}"
token_keys="${TENANT_TOKEN_KEYS:-}"
webhook_key="${PROBE_WEBHOOK_KEY:-}"
admin_key="${PROBE_ADMIN_KEY:-}"
timeout="${PROBE_TIMEOUT:-300}"
interval="${PROBE_INTERVAL:-5}"
webhook_only="${PROBE_WEBHOOK_ONLY:-0}"

while (($#)); do
  case "$1" in
    --base-url) base_url="${2:?--base-url needs a value}"; shift 2 ;;
    --token) token="${2:?--token needs a value}"; shift 2 ;;
    --token-keys) token_keys="${2:?--token-keys needs a value}"; shift 2 ;;
    --webhook-key) webhook_key="${2:?--webhook-key needs a value}"; shift 2 ;;
    --admin-key) admin_key="${2:?--admin-key needs a value}"; shift 2 ;;
    --timeout) timeout="${2:?--timeout needs a value}"; shift 2 ;;
    --interval) interval="${2:?--interval needs a value}"; shift 2 ;;
    --webhook-only) webhook_only=1; shift ;;
    -h | --help) usage ;;
    *) echo "probe: unknown argument $1" >&2; usage ;;
  esac
done

base_url="${base_url%/}"
[[ "$base_url" =~ ^https?://[^/?#[:space:]]+(/[^?#[:space:]]*)?$ ]] \
  || { echo "probe: --base-url/PROBE_BASE_URL must be http(s)://host[:port], without query (got '${base_url%%\?*}')" >&2; exit 2; }
[[ "$timeout" =~ ^[0-9]+$ && "$interval" =~ ^[0-9]+(\.[0-9]+)?$ && ! "$interval" =~ ^0*(\.0*)?$ ]] \
  || { echo "probe: --timeout is whole seconds, --interval seconds above 0 (decimals allowed)" >&2; exit 2; }
if [[ "$webhook_only" != 1 && -z "$admin_key" ]]; then
  echo "probe: the status read needs the master key (--admin-key or PROBE_ADMIN_KEY; any value locally), or use --webhook-only" >&2
  exit 2
fi

# --- the token ------------------------------------------------------------------------------------------------------
if [[ -z "$token" ]]; then
  [[ -n "$token_keys" ]] || { echo "probe: give the token (PROBE_TOKEN) or the token keys (TENANT_TOKEN_KEYS)" >&2; exit 2; }
  # The first non-empty comma-separated entry, trimmed, as the app reads TENANT_TOKEN_KEYS (SettingsReader.secretList).
  key=""
  IFS=, read -r -a entries <<<"$token_keys"
  for entry in "${entries[@]}"; do
    entry="${entry#"${entry%%[![:space:]]*}"}"
    entry="${entry%"${entry##*[![:space:]]}"}"
    if [[ -n "$entry" ]]; then
      key="$entry"
      break
    fi
  done
  [[ -n "$key" ]] || { echo "probe: TENANT_TOKEN_KEYS holds no key" >&2; exit 2; }
  command -v openssl >/dev/null 2>&1 || fail "openssl is needed to compute the token (or give PROBE_TOKEN)"
  token="$(printf '%s' "$TENANT" | openssl dgst -sha256 -hmac "$key" -binary | openssl base64 -A | tr '+/' '-_' | tr -d '=')"
  unset key entries entry
fi

# --- helpers --------------------------------------------------------------------------------------------------------
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Percent-encodes everything but RFC 3986 unreserved characters (function keys may hold + / =).
urlencode() {
  local LC_ALL=C s="$1" out="" c i
  for ((i = 0; i < ${#s}; i++)); do
    c="${s:i:1}"
    case "$c" in
      [A-Za-z0-9._~-]) out+="$c" ;;
      *) out+="$(printf '%%%02X' "'$c")" ;;
    esac
  done
  printf '%s' "$out"
}

# The first "NAME": "string" of a JSON body (the answers here are flat, and a nested lastError.status is a number).
json_field() {
  local m
  m="$(grep -o "\"$1\"[[:space:]]*:[[:space:]]*\"[^\"]*\"" "$2" 2>/dev/null || true)"
  m="${m%%$'\n'*}"
  m="${m#*:}"
  m="${m#*\"}"
  printf '%s' "${m%\"}"
}

excerpt() {
  tr -d '\r\n' <"$1" | cut -c1-300
}

# A value for a double-quoted string of a curl config file.
config_quote() {
  local v="${1//\\/\\\\}"
  printf '%s' "${v//\"/\\\"}"
}

# curl with its URL (and headers) in a config on standard input: curl_config CONFIG_TEXT [curl args...]
curl_config() {
  local config="$1"
  shift
  : >"$work/body"
  : >"$work/curl-error"
  curl --silent --show-error --max-time 30 --output "$work/body" --write-out '%{http_code}' "$@" --config - <<<"$config" \
    2>"$work/curl-error" || true
}

deadline=$(($(date +%s) + timeout))
remaining() { echo $((deadline - $(date +%s))); }

# --- the notification -----------------------------------------------------------------------------------------------
if [[ -r /proc/sys/kernel/random/uuid ]]; then
  uuid="$(cat /proc/sys/kernel/random/uuid)"
elif command -v uuidgen >/dev/null 2>&1; then
  uuid="$(uuidgen | tr 'A-Z' 'a-z')"
else
  hex="$(openssl rand -hex 16)"
  uuid="${hex:0:8}-${hex:8:4}-${hex:12:4}-${hex:16:4}-${hex:20:12}"
fi
now="$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ 2>/dev/null || true)"
[[ "$now" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$ ]] || now="$(date -u +%Y-%m-%dT%H:%M:%S).000Z"
subscription="00000000-0000-0000-0000-000000000000"
target="/subscriptions/$subscription/resourcegroups/$TENANT/providers/microsoft.web/sites/$TENANT"
cat >"$work/notification.json" <<EOF
{
  "schemaId": "azureMonitorCommonAlertSchema",
  "data": {
    "essentials": {
      "alertId": "/subscriptions/$subscription/providers/Microsoft.AlertsManagement/alerts/$uuid",
      "alertRule": "$TENANT",
      "severity": "Sev4",
      "signalType": "Metric",
      "monitorCondition": "Fired",
      "monitoringService": "Platform",
      "alertTargetIDs": [
        "$target"
      ],
      "configurationItems": [
        "$TENANT"
      ],
      "originAlertId": "${subscription}_${TENANT}_microsoft.insights_metricAlerts_${TENANT}_$uuid",
      "firedDateTime": "$now",
      "description": "Alert Relay delivery probe ($PROBE_TYPE): the platform acknowledges it and ignores it",
      "essentialsVersion": "1.0",
      "alertContextVersion": "1.0"
    },
    "alertContext": {
      "properties": null,
      "conditionType": "SingleResourceMultipleMetricCriteria",
      "condition": {
        "windowSize": "PT5M",
        "allOf": [
          {
            "metricName": "AlertRelayProbe",
            "metricNamespace": "Microsoft.Web/sites",
            "operator": "GreaterThan",
            "threshold": "0",
            "timeAggregation": "Total",
            "dimensions": [],
            "metricValue": 1,
            "webTestName": null
          }
        ],
        "windowStartTime": "$now",
        "windowEndTime": "$now"
      }
    },
    "customProperties": {
      "source": "infra/pipeline/probe.sh"
    }
  }
}
EOF

# --- the webhook ----------------------------------------------------------------------------------------------------
webhook_path="/api/alerts/$TENANT"
query="token=$(urlencode "$token")"
[[ -n "$webhook_key" ]] && query+="&code=$(urlencode "$webhook_key")"
echo "probe: POST $base_url$webhook_path (alertId .../alerts/$uuid, firedDateTime $now)"
id=""
while :; do
  code="$(curl_config "url = \"$base_url$webhook_path?$query\"" --header 'Content-Type: application/json' \
    --data-binary "@$work/notification.json")"
  case "$code" in
    202)
      id="$(json_field id "$work/body")"
      event_type="$(json_field type "$work/body")"
      [[ "$id" =~ ^[A-Za-z0-9._~-]{1,128}$ ]] || fail "the webhook answered 202 without a usable event id: $(excerpt "$work/body")"
      [[ "$event_type" == "$PROBE_TYPE" ]] \
        || fail "the webhook typed the probe '$event_type', not $PROBE_TYPE: this release does not know the probe tenant"
      echo "probe: accepted: 202, event $id, type $event_type"
      break
      ;;
    408 | 429 | 5?? | 000)
      # what Azure Monitor would retry; the same notification gives the same event id
      if (($(remaining) <= 0)); then
        fail "the webhook did not accept the probe within ${timeout}s; last answer: HTTP $code $(excerpt "$work/body")$(excerpt "$work/curl-error")"
      fi
      echo "probe: webhook answered HTTP $code, retrying: $(excerpt "$work/body")$(excerpt "$work/curl-error")"
      sleep "$interval"
      ;;
    *)
      fail "the webhook refused the probe: HTTP $code $(excerpt "$work/body")"
      ;;
  esac
done

if [[ "$webhook_only" == 1 ]]; then
  echo "probe: webhook only: not waiting for delivery"
  exit 0
fi

# --- the delivery ---------------------------------------------------------------------------------------------------
status_path="/api/events/$TENANT/$id"
last="not stored yet"
while :; do
  code="$(curl_config "url = \"$base_url$status_path\"
header = \"x-functions-key: $(config_quote "$admin_key")\"")"
  case "$code" in
    200)
      status="$(json_field status "$work/body")"
      case "$status" in
        delivered)
          echo "probe: delivered: event $id, $(excerpt "$work/body")"
          exit 0
          ;;
        received)
          last="received, not delivered yet"
          ;;
        rejected | deadlettered | superseded)
          fail "event $id is $status: $(excerpt "$work/body")"
          ;;
        *)
          fail "event $id has an unexpected status '$status': $(excerpt "$work/body")"
          ;;
      esac
      ;;
    404)
      last="not stored yet (404)"
      ;;
    401 | 403)
      fail "the status read was refused (HTTP $code): the master key is wrong, or EventStatus is not authLevel ADMIN"
      ;;
    *)
      last="status read answered HTTP $code $(excerpt "$work/body")$(excerpt "$work/curl-error")"
      ;;
  esac
  if (($(remaining) <= 0)); then
    fail "gave up after ${timeout}s: event $id is $last (is the dequeuer running, and the platform answering?)"
  fi
  echo "probe: event $id: $last"
  sleep "$interval"
done
