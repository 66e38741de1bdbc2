package io.alertrelay.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alertrelay.domain.Lane;
import io.alertrelay.settings.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-tenant sliding window that chooses each alert's lane, on a clock the test moves. */
class FairShareTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);
    private final FairShare share = new FairShare(Duration.ofSeconds(10), 5, nanos::get);

    @Test
    void aTenantsAlertsWithinItsShareTakeTheStandardLaneAndTheRestTheBulkLane() {
        List<Lane> lanes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            lanes.add(share.laneFor("flood"));
        }
        assertThat(lanes).containsExactly(Lane.STANDARD, Lane.STANDARD, Lane.STANDARD, Lane.STANDARD, Lane.STANDARD,
                Lane.BULK, Lane.BULK, Lane.BULK);
    }

    @Test
    void anotherTenantKeepsItsOwnShareWhileOneFloods() {
        for (int i = 0; i < 100; i++) {
            share.laneFor("flood");
        }
        assertThat(share.laneFor("quiet")).isEqualTo(Lane.STANDARD);
        assertThat(share.laneFor("flood")).isEqualTo(Lane.BULK);
    }

    @Test
    void theWindowSlidesSoAFloodingTenantIsBackInTheStandardLaneOnceItsRateFalls() {
        for (int i = 0; i < 5; i++) {
            share.laneFor("t"); // five in the first second
        }
        advance(Duration.ofSeconds(5));
        assertThat(share.laneFor("t")).as("the sixth within 10 s").isEqualTo(Lane.BULK);
        advance(Duration.ofSeconds(5));
        assertThat(share.countOf("t")).as("the first five left the window; the sixth is still in it").isEqualTo(1);
        assertThat(share.laneFor("t")).isEqualTo(Lane.STANDARD);
        advance(Duration.ofSeconds(30));
        assertThat(share.countOf("t")).isZero();
    }

    @Test
    void bulkAlertsCountToo_aTenantThatKeepsFloodingStaysInTheBulkLane() {
        for (int i = 0; i < 40; i++) {
            share.laneFor("flood");
            advance(Duration.ofMillis(500)); // 2 a second: 20 per window, four times its share
        }
        assertThat(share.laneFor("flood")).isEqualTo(Lane.BULK);
    }

    @Test
    void aWindowTooShortForItsSlotsOrAShareBelowOneIsRefused() {
        assertThatThrownBy(() -> new FairShare(Duration.ofMillis(5), 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FairShare(Duration.ofSeconds(1), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDefaultsAreTheSettingsDefaults() {
        Settings defaults = Settings.from(Map.of());
        assertThat(FairShare.DEFAULT_WINDOW).isEqualTo(defaults.fairShareWindow());
        assertThat(FairShare.DEFAULT_ALERTS_PER_WINDOW).isEqualTo(defaults.fairShareAlerts());
    }

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }
}
