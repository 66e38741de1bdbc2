package io.alertrelay.local.faults;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.domain.Json;
import io.alertrelay.testing.Fixtures;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * What one seeded run posts: alert instances whose Fired and Resolved come in either order (Microsoft's common-schema
 * metric sample with a fresh alert id each), and custom notifications; each posted 1 to 32 times.
 */
final class Workload {

    /** One request to post: the body, and what it is for the checks. */
    record Post(byte[] body, String instance, boolean resolved) {
    }

    private Workload() {
    }

    static List<Post> of(long seed, int instances, int customs) {
        Random random = new Random(seed);
        List<List<Post>> groups = new ArrayList<>();
        byte[] template = Fixtures.bytes("cs-full-metric-resolved.json");
        for (int i = 0; i < instances; i++) {
            String instance = "chaos-" + seed + "-" + i;
            Post fired = new Post(variant(template, instance, false), instance, false);
            Post resolved = new Post(variant(template, instance, true), instance, true);
            List<Post> pair = new ArrayList<>();
            boolean resolvedFirst = random.nextDouble() < 0.35;
            for (Post p : resolvedFirst ? List.of(resolved, fired) : List.of(fired, resolved)) {
                pair.addAll(Collections.nCopies(copies(random), p));
            }
            groups.add(pair);
        }
        for (int i = 0; i < customs; i++) {
            byte[] body = Json.writeBytes(Json.object().put("chaosRun", seed).put("n", i)
                    .put("description", "custom notification " + i));
            groups.add(new ArrayList<>(Collections.nCopies(copies(random), new Post(body, null, false))));
        }
        // Interleave the groups, keeping each pair's order of first appearance (a reordered pair stays reordered).
        List<Post> posts = new ArrayList<>();
        while (!groups.isEmpty()) {
            List<Post> g = groups.get(random.nextInt(groups.size()));
            posts.add(g.remove(0));
            if (g.isEmpty()) {
                groups.remove(g);
            }
        }
        return posts;
    }

    /** How often one notification is posted: mostly once, sometimes a few times, now and then up to 32 times. */
    private static int copies(Random random) {
        double r = random.nextDouble();
        return r < 0.6 ? 1 : r < 0.9 ? 2 + random.nextInt(2) : 4 + random.nextInt(29);
    }

    private static byte[] variant(byte[] template, String instance, boolean resolved) {
        ObjectNode body = (ObjectNode) Json.readTree(template);
        ObjectNode essentials = (ObjectNode) body.path("data").path("essentials");
        essentials.put("alertId", "/subscriptions/00000000-0000-0000-0000-000000000000/providers/"
                + "Microsoft.AlertsManagement/alerts/" + instance);
        essentials.put("firedDateTime", "2026-12-01T10:00:00.000Z");
        if (resolved) {
            essentials.put("monitorCondition", "Resolved");
            essentials.put("resolvedDateTime", "2026-12-01T10:05:00.000Z");
        } else {
            essentials.put("monitorCondition", "Fired");
            essentials.remove("resolvedDateTime");
        }
        return Json.writeBytes(body);
    }
}
