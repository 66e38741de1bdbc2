#!/usr/bin/env bash
# Signs the Azure CLI in as the pipeline's service principal and selects the subscription (docs/deploy.md, "Pipeline
# variables"). With OIDC (the step has `oidc: true` and the app registration trusts Bitbucket) no secret is stored;
# otherwise the secured variable AZURE_CLIENT_SECRET is used.
set -euo pipefail

: "${AZURE_CLIENT_ID:?set the pipeline variable AZURE_CLIENT_ID}"
: "${AZURE_TENANT_ID:?set the pipeline variable AZURE_TENANT_ID}"
: "${AZURE_SUBSCRIPTION_ID:?set the pipeline variable AZURE_SUBSCRIPTION_ID}"

if [[ -n "${AZURE_CLIENT_SECRET:-}" ]]; then
  az login --service-principal --username "$AZURE_CLIENT_ID" --password "$AZURE_CLIENT_SECRET" \
    --tenant "$AZURE_TENANT_ID" --output none
elif [[ -n "${BITBUCKET_STEP_OIDC_TOKEN:-}" ]]; then
  az login --service-principal --username "$AZURE_CLIENT_ID" --federated-token "$BITBUCKET_STEP_OIDC_TOKEN" \
    --tenant "$AZURE_TENANT_ID" --output none
else
  echo "neither AZURE_CLIENT_SECRET nor an OIDC token (oidc: true on the step): cannot sign in to Azure" >&2
  exit 1
fi
az account set --subscription "$AZURE_SUBSCRIPTION_ID"
