package io.claimshub.component.redisstreams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * What a dead letter keeps of an entry over the cap: the small fields whole, the start of a big one with its size.
 */
class DeadLetterFieldsTest {

    @Test
    void theFieldsThatDescribeADeadLetterLeadItInOneOrder() {
        Map<String, String> described = DeadLetterFields.describing("claims:events", "processors", "hub-1", "1-0", 4,
                "max-deliveries-exceeded", DeadLetterFields.error(new IllegalStateException("no rule")));

        assertThat(described.keySet()).containsExactly(DeadLetterFields.SOURCE_STREAM, DeadLetterFields.GROUP,
                DeadLetterFields.CONSUMER, DeadLetterFields.ENTRY_ID, DeadLetterFields.DELIVERY_COUNT,
                DeadLetterFields.REASON, DeadLetterFields.ERROR);
        assertThat(described).containsEntry(DeadLetterFields.DELIVERY_COUNT, "4")
                .containsEntry(DeadLetterFields.ERROR, "java.lang.IllegalStateException: no rule");
    }

    @Test
    void anOversizedFieldIsKeptAsItsStartNamedWithItsFullSizeWithinTheCap() {
        // given an entry whose payload alone is over the cap, with small fields before and after it
        String payload = payload(100_000);
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put("claimId", "CLM-FORGED01");
        entry.put("data", payload);
        entry.put("eventId", "e-1");

        // when it is capped at 4 KiB
        Map<String, String> kept = DeadLetterFields.capped(entry, 4096);

        // expect the small fields whole, the payload's start, the mark naming it with its size, all within the cap
        assertThat(kept).containsEntry("claimId", "CLM-FORGED01").containsEntry("eventId", "e-1")
                .containsEntry(DeadLetterFields.TRUNCATED, "data:100000")
                .doesNotContainKey(DeadLetterFields.OMITTED);
        assertThat(payload).startsWith(kept.get("data"));
        assertThat(kept.get("data").length()).isGreaterThan(4096 - 200);
        assertThat(kept.keySet()).containsExactly("claimId", "data", "eventId", DeadLetterFields.TRUNCATED);
        assertThat(bytes(kept)).isLessThanOrEqualTo(4096);
    }

    @Test
    void aCutNeverSplitsACharacterAndCountsBytesNotCharacters() {
        // given a payload of 3-byte and 4-byte characters
        String payload = "€😀".repeat(10_000);

        // when it is capped
        Map<String, String> kept = DeadLetterFields.capped(Map.of("data", payload), 1000);

        // expect whole characters only, within the cap in bytes, the size in bytes
        String start = kept.get("data");
        assertThat(payload).startsWith(start);
        assertThat(new String(start.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(start);
        assertThat(start.length()).isGreaterThan(0);
        assertThat(kept).containsEntry(DeadLetterFields.TRUNCATED, "data:70000");
        assertThat(bytes(kept)).isLessThanOrEqualTo(1000);
    }

    @Test
    void severalOversizedFieldsShareWhatIsLeftInOrderAndOneWithNoRoomIsNamedAsOmitted() {
        // given two payloads over the cap after a small field
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put("claimId", "CLM-FORGED02");
        entry.put("data", payload(10_000));
        entry.put("attachment", payload(10_000));

        // when capped at 1 KiB
        Map<String, String> kept = DeadLetterFields.capped(entry, 1024);

        // expect the first payload's start, the second left out and named
        assertThat(kept).containsEntry("claimId", "CLM-FORGED02")
                .containsEntry(DeadLetterFields.TRUNCATED, "data:10000")
                .containsEntry(DeadLetterFields.OMITTED, "attachment")
                .doesNotContainKey("attachment");
        assertThat(entry.get("data")).startsWith(kept.get("data"));
        assertThat(bytes(kept)).isLessThanOrEqualTo(1024);
    }

    @Test
    void anEntryWithinTheCapIsKeptAsItIs() {
        Map<String, String> entry = Map.of("claimId", "CLM-SMALL001", "data", "{}");

        assertThat(DeadLetterFields.capped(entry, 4096)).isEqualTo(entry);
    }

    /** Distinct lines, so that a kept part can be told to be the start and not any other slice. */
    static String payload(int length) {
        StringBuilder text = new StringBuilder(length + 16);
        for (int line = 0; text.length() < length; line++) {
            text.append("line ").append(line).append('\n');
        }
        return text.substring(0, length);
    }

    private static long bytes(Map<String, String> fields) {
        return fields.entrySet().stream().mapToLong(e -> e.getKey().getBytes(StandardCharsets.UTF_8).length
                                                          + e.getValue().getBytes(StandardCharsets.UTF_8).length).sum();
    }
}
