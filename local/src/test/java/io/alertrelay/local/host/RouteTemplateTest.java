package io.alertrelay.local.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTemplateTest {

    @Test
    void aParameterMatchesOneSegmentUnderThePrefix() {
        RouteTemplate route = new RouteTemplate("api", "alerts/{tenant}");
        assertThat(route.match("/api/alerts/contoso")).contains(Map.of("tenant", "contoso"));
        assertThat(route.match("/api/alerts/contoso/")).contains(Map.of("tenant", "contoso"));
        assertThat(route.match("/API/Alerts/contoso")).contains(Map.of("tenant", "contoso"));
        assertThat(route.match("/api/alerts")).isEmpty();
        assertThat(route.match("/api/alerts/contoso/more")).isEmpty();
        assertThat(route.match("/alerts/contoso")).isEmpty();
    }

    @Test
    void parametersAreDecodedAndConstraintsIgnored() {
        RouteTemplate route = new RouteTemplate("api", "events/{tenant}/{id:length(1,128)}");
        assertThat(route.match("/api/events/contoso/a%2Eb+c")).contains(Map.of("tenant", "contoso", "id", "a.b+c"));
    }

    @Test
    void anOptionalLastParameterMayBeAbsent() {
        RouteTemplate route = new RouteTemplate("api", "items/{id?}");
        assertThat(route.match("/api/items")).contains(Map.of());
        assertThat(route.match("/api/items/7")).contains(Map.of("id", "7"));
    }

    @Test
    void routesTheHostKeepsForItselfAreRefusedAsInAzure() {
        for (String route : new String[] {"admin/replay", "Admin", "administration/x", "runtime/webhooks/x"}) {
            assertThatThrownBy(() -> new RouteTemplate("api", route)).as(route)
                    .hasMessageContaining("conflicts with one or more built in routes");
        }
        assertThat(new RouteTemplate("api", "replay").match("/api/replay")).contains(Map.of());
    }
}
