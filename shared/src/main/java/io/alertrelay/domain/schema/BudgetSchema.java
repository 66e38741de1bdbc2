package io.alertrelay.domain.schema;

import static io.alertrelay.domain.schema.Fields.amount;
import static io.alertrelay.domain.schema.Fields.at;
import static io.alertrelay.domain.schema.Fields.isObject;
import static io.alertrelay.domain.schema.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.domain.AlertData;
import java.util.List;

/**
 * A budget alert without the common schema ({@code schemaId: AIP Budget Notification}). It carries no alert id and
 * no time of its own ({@code BudgetStartDate} is when the budget period began), so the event time is the time of
 * receipt and identity falls back to the whole notification. The budget is the rule; its scope (the subscription,
 * narrowed to the resource group when one is named) is the target, as a Cost Management scope id.
 */
final class BudgetSchema implements NotificationSchema {

    @Override
    public boolean recognises(ObjectNode body) {
        return "AIP Budget Notification".equalsIgnoreCase(text(body, "schemaId")) && isObject(body, "data");
    }

    @Override
    public AlertDraft read(ObjectNode body) {
        JsonNode data = at(body, "data");
        String subscriptionId = text(data, "SubscriptionId");
        String resourceGroup = text(data, "ResourceGroup");

        AlertDraft alert = new AlertDraft("budget", body);
        alert.budget = new AlertData.Budget(
                text(data, "BudgetName"),
                text(data, "BudgetType"),
                amount(data, "Budget"),
                amount(data, "SpendingAmount"),
                amount(data, "NotificationThresholdAmount"),
                text(data, "Unit"),
                resourceGroup,
                subscriptionId,
                null);
        alert.alertRule = alert.budget.budgetName();
        alert.monitoringService = "CostAlerts";
        alert.targetResourceIds = scope(subscriptionId, resourceGroup);
        return alert;
    }

    private static List<String> scope(String subscriptionId, String resourceGroup) {
        if (subscriptionId == null) {
            return List.of();
        }
        String subscription = "/subscriptions/" + subscriptionId;
        return List.of(resourceGroup == null ? subscription : subscription + "/resourceGroups/" + resourceGroup);
    }
}
