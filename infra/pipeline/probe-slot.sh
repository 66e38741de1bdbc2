#!/usr/bin/env bash
# Runs infra/pipeline/probe.sh against a slot of the deployed function app, with what it needs fetched by the Azure
# CLI (signed in by az-login.sh), none of it printed:
#   - the slot's host name (unless PROBE_BASE_URL is set), az functionapp show;
#   - AlertWebhook's function key of that slot (code=), az functionapp function keys list;
#   - the slot's master key (x-functions-key of the status read; not with --webhook-only), az functionapp keys list;
#   - the tenant-token-keys secret, az keyvault secret show: the pipeline principal holds Key Vault Secrets User on
#     that one secret (template parameter pipelinePrincipalId; docs/deploy.md section 3).
#
#   infra/pipeline/probe-slot.sh [--slot staging] [--webhook-only] [other probe.sh options]
#
# Environment: AZURE_RESOURCE_GROUP, FUNCTION_APP_NAME, KEY_VAULT_NAME (template output keyVaultName).
# Keys are per slot: after a swap, production's keys are still production's, so the tenants' webhook URLs keep working.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

: "${AZURE_RESOURCE_GROUP:?set the pipeline variable AZURE_RESOURCE_GROUP}"
: "${FUNCTION_APP_NAME:?set the pipeline variable FUNCTION_APP_NAME}"
: "${KEY_VAULT_NAME:?set the pipeline variable KEY_VAULT_NAME (template output keyVaultName)}"

slot=()
probe_args=()
webhook_only=0
while (($#)); do
  case "$1" in
    --slot) slot=(--slot "${2:?--slot needs a name}"); shift 2 ;;
    --webhook-only) webhook_only=1; probe_args+=(--webhook-only); shift ;;
    *) probe_args+=("$1"); shift ;;
  esac
done

# The Azure CLI image (mcr.microsoft.com/azure-cli, Azure Linux since 2.64) may lack curl or openssl: install them.
for tool in curl openssl; do
  command -v "$tool" >/dev/null 2>&1 && continue
  if command -v tdnf >/dev/null 2>&1; then
    tdnf install -y -q "$tool" >/dev/null
  elif command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq "$tool" >/dev/null
  elif command -v apk >/dev/null 2>&1; then
    apk add --quiet "$tool"
  else
    echo "probe-slot: $tool is needed" >&2
    exit 1
  fi
done

app=(--resource-group "$AZURE_RESOURCE_GROUP" --name "$FUNCTION_APP_NAME" ${slot[@]+"${slot[@]}"})
where="${FUNCTION_APP_NAME}${slot[1]:+ (slot ${slot[1]})}"
if [[ -z "${PROBE_BASE_URL:-}" ]]; then
  host="$(az functionapp show "${app[@]}" --query defaultHostName --output tsv)"
  [[ -n "$host" ]] || { echo "probe-slot: no host name for $where" >&2; exit 1; }
  PROBE_BASE_URL="https://$host"
fi
PROBE_WEBHOOK_KEY="$(az functionapp function keys list "${app[@]}" --function-name AlertWebhook --query default --output tsv)"
[[ -n "$PROBE_WEBHOOK_KEY" ]] || { echo "probe-slot: AlertWebhook of $where has no default function key" >&2; exit 1; }
if [[ "$webhook_only" != 1 ]]; then
  PROBE_ADMIN_KEY="$(az functionapp keys list "${app[@]}" --query masterKey --output tsv)"
  [[ -n "$PROBE_ADMIN_KEY" ]] || { echo "probe-slot: no master key for $where" >&2; exit 1; }
  export PROBE_ADMIN_KEY
fi
TENANT_TOKEN_KEYS="$(az keyvault secret show --vault-name "$KEY_VAULT_NAME" --name tenant-token-keys --query value --output tsv)"
[[ -n "$TENANT_TOKEN_KEYS" ]] || { echo "probe-slot: the secret tenant-token-keys of $KEY_VAULT_NAME is empty" >&2; exit 1; }
export PROBE_BASE_URL PROBE_WEBHOOK_KEY TENANT_TOKEN_KEYS

echo "probe-slot: probing $where at $PROBE_BASE_URL"
exec bash "$here/probe.sh" ${probe_args[@]+"${probe_args[@]}"}
