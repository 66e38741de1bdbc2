package io.alertrelay.local.host;

import static org.assertj.core.api.Assertions.assertThat;

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
}
