package io.alertrelay.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.domain.PlatformEventCodec;
import io.alertrelay.domain.schema.AlertNormaliser;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The example events in docs/onboarding.md are what the platform receives: each block marked
 * {@code <!-- example: NAME -->} is the real normaliser's output (PlatformEventCodec, as delivered) for the notification
 * OnboardingPayloads makes, for tenant contoso. The original payload may be shortened in the docs; every other field
 * must be equal, so the page cannot drift from the code.
 */
class OnboardingExamplesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BLOCK = Pattern.compile("<!-- example: ([a-z-]+) -->\\s*```json\\n(.*?)\\n```",
            Pattern.DOTALL);

    /** The notifications of the examples, by the name their block carries in docs/onboarding.md. */
    static Map<String, byte[]> notifications() {
        Map<String, byte[]> examples = new LinkedHashMap<>();
        examples.put("deployment-started", OnboardingPayloads.deployment("Started", "11111111-aaaa-bbbb-cccc-000000000001",
                "2025-04-15T11:26:21.386Z", "dddd3333-ee44-5555-66ff-000000000001"));
        examples.put("deployment-succeeded", OnboardingPayloads.deployment("Succeeded",
                "11111111-aaaa-bbbb-cccc-000000000002", "2025-04-15T11:29:47.102Z", "dddd3333-ee44-5555-66ff-000000000002"));
        examples.put("autoscale-activity-log", OnboardingPayloads.autoscaleActivityLog(true,
                "22222222-aaaa-bbbb-cccc-000000000001"));
        examples.put("autoscale-webhook", OnboardingPayloads.autoscaleWebhook());
        return examples;
    }

    @Test
    void everyExampleEventInTheOnboardingPageIsTheNormalisersOutput() throws IOException {
        String page = Files.readString(RuntimeHarness.root().resolve("docs/onboarding.md"));
        Map<String, JsonNode> documented = new LinkedHashMap<>();
        Matcher m = BLOCK.matcher(page);
        while (m.find()) {
            documented.put(m.group(1), JSON.readTree(m.group(2)));
        }

        AlertNormaliser normaliser = new AlertNormaliser();
        for (Map.Entry<String, byte[]> example : notifications().entrySet()) {
            JsonNode actual = JSON.readTree(PlatformEventCodec.toJson(normaliser.normalise("contoso", example.getValue())));
            String shown = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(actual);
            assertThat(documented).as("docs/onboarding.md has the block <!-- example: %s --> with:%n%s",
                    example.getKey(), shown).containsKey(example.getKey());
            JsonNode doc = documented.get(example.getKey()).deepCopy();
            assertThat(doc.at("/data/payload").isObject()).as(example.getKey() + ": data.payload is an object").isTrue();
            ((ObjectNode) doc.get("data")).remove("payload");
            ((ObjectNode) actual.get("data")).remove("payload");
            assertThat(doc).as("%s in docs/onboarding.md, but the normaliser gives:%n%s", example.getKey(), shown)
                    .isEqualTo(actual);
        }
        assertThat(documented).containsOnlyKeys(notifications().keySet());
    }
}
