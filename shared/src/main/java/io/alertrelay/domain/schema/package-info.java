/**
 * One reader per shape of Azure Monitor notification; {@link io.alertrelay.domain.schema.Schemas} picks the first
 * that recognises a body, and {@code custom} takes the rest.
 *
 * <table>
 *   <caption>Where each field of the platform event comes from</caption>
 *   <tr><th>schema</th><th>recognised by</th><th>alertId</th><th>time</th><th>targets</th><th>details</th></tr>
 *   <tr><td>common</td><td>schemaId azureMonitorCommonAlertSchema</td><td>essentials.alertId</td>
 *       <td>resolvedDateTime if Resolved, else firedDateTime; eventTimestamp for deployment/scale events</td>
 *       <td>essentials.alertTargetIDs (budget: its scope)</td>
 *       <td>activity-log contexts: deployment, scale, health; CostAlerts: budget</td></tr>
 *   <tr><td>metric</td><td>schemaId AzureMonitorMetricAlert</td><td>context.id (the rule)</td>
 *       <td>context.timestamp</td><td>context.resourceId</td><td>—</td></tr>
 *   <tr><td>classic-metric</td><td>no schemaId; status and context.conditionType</td><td>context.id (the rule)</td>
 *       <td>context.timestamp</td><td>context.resourceId</td><td>—</td></tr>
 *   <tr><td>log</td><td>schemaId Microsoft.Insights/LogAlert, or top-level AlertRuleName and SearchQuery</td>
 *       <td>none</td><td>SearchIntervalEndtimeUtc</td><td>ResourceId</td><td>—</td></tr>
 *   <tr><td>activity-log</td><td>schemaId Microsoft.Insights/activityLogs</td><td>eventDataId</td>
 *       <td>eventTimestamp</td><td>resourceId</td><td>deployment, scale, health</td></tr>
 *   <tr><td>budget</td><td>schemaId AIP Budget Notification</td><td>none</td><td>none (receipt)</td>
 *       <td>the budget's subscription / resource group</td><td>budget</td></tr>
 *   <tr><td>autoscale</td><td>no schemaId; operation Scale Out/In or context.old/newCapacity</td>
 *       <td>context.id (the setting)</td><td>context.timestamp</td><td>context.resourceId</td><td>scale</td></tr>
 *   <tr><td>custom</td><td>any other object</td><td>none</td><td>none (receipt)</td><td>none</td><td>—</td></tr>
 * </table>
 */
package io.alertrelay.domain.schema;
