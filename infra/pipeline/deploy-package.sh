#!/usr/bin/env bash
# Deploys a release to the staging slot (docs/deploy.md, "Continuous delivery from Bitbucket"):
#   1. uploads the zip to the package container with the pipeline's own identity (--auth-mode login; the template gives
#      the pipeline principal Storage Blob Data Contributor on that container), under a name of its own;
#   2. points the staging slot's WEBSITE_RUN_FROM_PACKAGE at it (--settings, not --slot-settings: the package moves
#      with a swap), which restarts the slot;
#   3. syncs the slot's triggers, as Microsoft requires after deploying from an external package URL.
#
#   infra/pipeline/deploy-package.sh alert-relay.zip
#
# Environment: AZURE_SUBSCRIPTION_ID, AZURE_RESOURCE_GROUP, FUNCTION_APP_NAME, PACKAGE_CONTAINER_URL (the template's
# output packageContainerUrl). BITBUCKET_COMMIT, when set, goes into the blob name.
#
# Microsoft Learn:
# - Without Azure Files "You must deploy from an external package URL":
#   https://learn.microsoft.com/en-us/azure/azure-functions/storage-considerations#create-an-app-without-azure-files
# - "Set the WEBSITE_RUN_FROM_PACKAGE application setting to the blob URL of the package"; the app's system-assigned
#   identity reads it: https://learn.microsoft.com/en-us/azure/azure-functions/run-functions-from-deployment-package#fetch-a-package-from-azure-blob-storage-using-a-managed-identity
# - "Set the --auth-mode parameter to login to sign in using a Microsoft Entra security principal (recommended)":
#   https://learn.microsoft.com/en-us/azure/storage/blobs/authorize-data-operations-cli
# - "You must always manually sync triggers when using these deployment options: External package URL", with
#   az rest ... /syncfunctiontriggers: https://learn.microsoft.com/en-us/azure/azure-functions/functions-deployment-technologies#trigger-syncing
#   (the slot's endpoint: https://learn.microsoft.com/en-us/rest/api/appservice/web-apps/sync-function-triggers-slot)
# A blob name is never reused for different bytes: it carries the zip's SHA-256, so "If you publish an updated package
# with the same name ... you need to restart your app" never applies.
set -euo pipefail

zip="${1:?usage: deploy-package.sh ZIP}"
: "${AZURE_SUBSCRIPTION_ID:?set the pipeline variable AZURE_SUBSCRIPTION_ID}"
: "${AZURE_RESOURCE_GROUP:?set the pipeline variable AZURE_RESOURCE_GROUP}"
: "${FUNCTION_APP_NAME:?set the pipeline variable FUNCTION_APP_NAME}"
: "${PACKAGE_CONTAINER_URL:?set the pipeline variable PACKAGE_CONTAINER_URL (template output packageContainerUrl)}"
[[ -f "$zip" ]] || { echo "deploy-package: no package $zip" >&2; exit 1; }

container_url="${PACKAGE_CONTAINER_URL%/}"
if [[ ! "$container_url" =~ ^https://([a-z0-9]{3,24})\.blob\.[a-z0-9.]+/([a-z0-9][a-z0-9-]{2,62})$ ]]; then
  echo "deploy-package: PACKAGE_CONTAINER_URL must be https://<account>.blob.<suffix>/<container>, got $container_url" >&2
  exit 1
fi
account="${BASH_REMATCH[1]}"
container="${BASH_REMATCH[2]}"

digest="$(sha256sum "$zip")"
digest="${digest%% *}"
commit="${BITBUCKET_COMMIT:-local}"
blob="alert-relay-${commit:0:12}-${digest:0:16}.zip"
url="$container_url/$blob"

echo "uploading $zip to $url"
az storage blob upload --auth-mode login --account-name "$account" --container-name "$container" --name "$blob" \
  --file "$zip" --overwrite true --only-show-errors --output none

echo "pointing the staging slot at it"
az functionapp config appsettings set --resource-group "$AZURE_RESOURCE_GROUP" --name "$FUNCTION_APP_NAME" \
  --slot staging --settings "WEBSITE_RUN_FROM_PACKAGE=$url" --output none

echo "syncing the staging slot's triggers"
az rest --method post --output none --url "https://management.azure.com/subscriptions/$AZURE_SUBSCRIPTION_ID/resourceGroups/$AZURE_RESOURCE_GROUP/providers/Microsoft.Web/sites/$FUNCTION_APP_NAME/slots/staging/syncfunctiontriggers?api-version=2024-11-01"

echo "staging now runs $url"
