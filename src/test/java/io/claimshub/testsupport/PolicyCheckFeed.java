package io.claimshub.testsupport;

import static org.awaitility.Awaitility.await;

import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.event.StoredEvent;
import io.claimshub.event.StreamEntryCodec;
import io.claimshub.integration.IntegrationKeys;
import io.claimshub.integration.PolicyChecks;
import io.claimshub.store.ClaimEventStore;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.StreamRecords;

/**
 * Gives a test's claim the policy check an approval needs (approval is refused while it is pending): through a booted
 * hub's policy adapter, or, for tests on the store alone, by the adapter's own recording step with a policy row that
 * covers the claim far above its amount.
 */
public final class PolicyCheckFeed {

    private PolicyCheckFeed() {
    }

    /**
     * Hands the claim's {@code claim.submitted} log entry to the hub's policy adapter (as the integrations group does)
     * and waits until its snapshot shows the check. The hub's test policy database holds config/policies.csv.
     */
    public static void checkThroughAdapter(TestHub hub, String claimId) {
        String log = hub.setting("hub.events.stream");
        Map<String, String> fields = null;
        for (MapRecord<String, Object, Object> entry : TestRedis.template().opsForStream().range(log, Range.unbounded())) {
            if (claimId.equals(entry.getValue().get(StreamEntryCodec.CLAIM_ID))
                    && "claim.submitted".equals(entry.getValue().get(StreamEntryCodec.EVENT_TYPE))) {
                fields = new LinkedHashMap<>();
                for (Map.Entry<Object, Object> field : entry.getValue().entrySet()) {
                    fields.put(field.getKey().toString(), field.getValue().toString());
                }
            }
        }
        if (fields == null) {
            throw new IllegalStateException("no claim.submitted entry of " + claimId + " in " + log);
        }
        String stream = new IntegrationKeys(hub.setting("hub.integrations.namespace")).policyChecks();
        TestRedis.template().opsForStream().add(StreamRecords.newRecord().in(stream).ofMap(fields));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Object check = TestRedis.template().opsForHash().get(io.claimshub.store.ClaimKeys.snapshot(claimId), "policyCheck");
            return check != null && !"pending".equals(check);
        });
    }

    /** Records a covering check (limit 1,000,000, no deductible) with the policy adapter's recording step. */
    public static void recordCovering(ClaimEventStore store, String claimId) {
        StoredEvent submitted = store.history(claimId).get(0);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("policy_status", "active");
        row.put("valid_from", LocalDate.of(1900, 1, 1));
        row.put("valid_to", null);
        row.put("currency", submitted.event().data().path("amountClaimed").path("currency").asText());
        row.put("covered_type", submitted.event().data().path("claimType").asText());
        row.put("coverage_limit", new java.math.BigDecimal("1000000.00"));
        row.put("deductible", new java.math.BigDecimal("0.00"));
        new PolicyChecks(store, new ClaimLifecycle(), Clock.systemUTC())
                .record(StreamEntryCodec.encode(submitted), List.of(row));
    }
}
