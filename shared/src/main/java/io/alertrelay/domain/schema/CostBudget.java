package io.alertrelay.domain.schema;

import static io.alertrelay.domain.schema.Fields.amount;
import static io.alertrelay.domain.schema.Fields.at;
import static io.alertrelay.domain.schema.Fields.firstOf;
import static io.alertrelay.domain.schema.Fields.isObject;
import static io.alertrelay.domain.schema.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.domain.AlertData;
import java.util.List;

/**
 * A Cost Management budget alert inside the common schema ({@code monitoringService: CostAlerts},
 * {@code alertContext.AlertCategory: budgets}). Its essentials have no rule and no target, so the budget supplies
 * them: the rule is the budget, the target its scope.
 */
final class CostBudget {

    private CostBudget() {
    }

    static boolean describes(JsonNode context) {
        return isObject(context, "AlertData")
                && ("budgets".equalsIgnoreCase(text(context, "AlertCategory"))
                    || text(context, "AlertData", "BudgetName") != null);
    }

    static void addDetailsTo(AlertDraft alert, JsonNode context) {
        JsonNode budget = at(context, "AlertData");
        String scope = ResourceIds.trimTrailingSlash(text(budget, "Scope"));
        alert.budget = new AlertData.Budget(
                text(budget, "BudgetName"),
                text(budget, "BudgetType"),
                amount(budget, "BudgetThreshold"),
                amount(budget, "SpentAmount"),
                amount(budget, "NotificationThresholdAmount"),
                text(budget, "Unit"),
                ResourceIds.resourceGroup(scope),
                ResourceIds.subscriptionId(scope),
                text(budget, "ThresholdType"));
        alert.alertRule = firstOf(alert.alertRule, alert.budget.budgetName());
        if (alert.targetResourceIds.isEmpty() && scope != null) {
            alert.targetResourceIds = List.of(scope);
        }
    }
}
