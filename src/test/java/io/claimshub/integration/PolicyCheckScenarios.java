package io.claimshub.integration;

import static io.claimshub.integration.PolicyHub.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The policy check against a real policy database (PostgreSQL and H2 run the same scenarios): the verdicts, the
 * approval rules that follow from them, and duplicated work-stream entries recording one check.
 */
abstract class PolicyCheckScenarios {

    abstract PolicyHub hub();

    @Test
    void aPolicyInForceCoveringTheTypeIsCoveredWithItsLimitAndDeductible() throws Exception {
        String claimId = hub().submit(PolicyDatabases.COVERED, "1500.00");
        assertThat(hub().claim(claimId).get("policyCheck").asText()).isEqualTo("pending");

        hub().handToPolicyAdapter(claimId);

        JsonNode claim = hub().awaitPolicyChecked(claimId);
        assertThat(claim.get("policyCheck").asText()).isEqualTo("covered");
        assertThat(claim.get("policyStatus").asText()).isEqualTo("in-force");
        assertThat(claim.get("coverageLimit").get("amount").decimalValue()).isEqualByComparingTo("2000.00");
        assertThat(claim.get("coverageLimit").get("currency").asText()).isEqualTo("EUR");
        assertThat(claim.get("deductible").get("amount").decimalValue()).isEqualByComparingTo("200.00");
        JsonNode event = hub().policyEvents(claimId).get(0);
        assertThat(event.get("data").get("covered").asBoolean()).isTrue();
        assertThat(event.get("data").has("reason")).isFalse();
    }

    @Test
    void aLapsedPolicyDoesNotCoverTheClaim() throws Exception {
        JsonNode claim = checked(PolicyDatabases.LAPSED);

        assertThat(claim.get("policyCheck").asText()).isEqualTo("not-covered");
        assertThat(claim.get("policyStatus").asText()).isEqualTo("lapsed");
        assertThat(claim.get("policyCheckReason").asText()).contains(PolicyDatabases.LAPSED, "lapsed");
        assertThat(claim.has("coverageLimit")).isFalse();
    }

    @Test
    void aPolicyThatDoesNotCoverTheClaimTypeDoesNotCoverTheClaim() throws Exception {
        JsonNode claim = checked(PolicyDatabases.PROPERTY_ONLY);

        assertThat(claim.get("policyCheck").asText()).isEqualTo("not-covered");
        assertThat(claim.get("policyStatus").asText()).isEqualTo("in-force");
        assertThat(claim.get("policyCheckReason").asText()).contains("does not cover auto claims");
    }

    @Test
    void anUnknownPolicyDoesNotCoverTheClaim() throws Exception {
        JsonNode claim = checked(PolicyDatabases.UNKNOWN);

        assertThat(claim.get("policyCheck").asText()).isEqualTo("not-covered");
        assertThat(claim.get("policyStatus").asText()).isEqualTo("not-found");
        assertThat(claim.get("policyCheckReason").asText()).contains(PolicyDatabases.UNKNOWN, "not in the policy system");
    }

    @Test
    void approvalAboveCoverageLimitLessDeductibleIsRefusedAndUpToItAccepted() throws Exception {
        String claimId = hub().submit(PolicyDatabases.COVERED, "1900.00");
        hub().handToPolicyAdapter(claimId);
        hub().awaitAssigned(claimId);
        hub().awaitPolicyChecked(claimId);

        HttpResponse<String> above = hub().approve(claimId, "1800.01");

        assertThat(above.statusCode()).isEqualTo(409);
        assertThat(json(above).get("detail").asText()).contains("exceeds what the policy pays",
                "coverage limit less deductible is 1800.00 EUR");
        assertThat(hub().claim(claimId).get("status").asText()).isEqualTo("assigned");

        HttpResponse<String> within = hub().approve(claimId, "1800.00");
        assertThat(within.statusCode()).as(within.body()).isEqualTo(202);
        assertThat(hub().claim(claimId).get("status").asText()).isEqualTo("approved");
    }

    @Test
    void approvalOfAClaimItsPolicyDoesNotCoverIsA409NamingTheReason() throws Exception {
        String claimId = hub().submit(PolicyDatabases.LAPSED, "500.00");
        hub().handToPolicyAdapter(claimId);
        hub().awaitAssigned(claimId);
        String reason = hub().awaitPolicyChecked(claimId).get("policyCheckReason").asText();

        HttpResponse<String> response = hub().approve(claimId, "100.00");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(response).get("detail").asText()).contains("policy does not cover", reason);
        assertThat(hub().claim(claimId).get("status").asText()).isEqualTo("assigned");
    }

    @Test
    void approvalBeforeThePolicyCheckIsA409UntilTheCheckArrives() throws Exception {
        String claimId = hub().submit(PolicyDatabases.COVERED, "1000.00");
        hub().awaitAssigned(claimId);

        HttpResponse<String> early = hub().approve(claimId, "1000.00");

        assertThat(early.statusCode()).isEqualTo(409);
        assertThat(json(early).get("detail").asText()).contains("policy check pending");
        assertThat(json(early).get("state").get("policyCheck").asText()).isEqualTo("pending");

        hub().handToPolicyAdapter(claimId);
        hub().awaitPolicyChecked(claimId);
        assertThat(hub().approve(claimId, "1000.00").statusCode()).isEqualTo(202);
    }

    @Test
    void duplicatedWorkStreamEntriesRecordOneCheck() throws Exception {
        String claimId = hub().submit(PolicyDatabases.COVERED, "700.00");

        for (int i = 0; i < 4; i++) {
            hub().handToPolicyAdapter(claimId);
        }
        hub().awaitPolicyChecked(claimId);
        // and once more after the check: the adapter sees the claim checked and records nothing
        hub().handToPolicyAdapter(claimId);

        String group = "integrations-policy";
        await().atMost(Duration.ofSeconds(30)).until(() -> PolicyHub.REDIS.opsForStream()
                .pending(hub().keys.policyChecks(), group).getTotalPendingMessages() == 0
                && lastDelivered(group).equals(lastEntry()));
        assertThat(hub().policyEvents(claimId)).hasSize(1);
    }

    @Test
    void aClientCannotPushAPolicyCheck() throws Exception {
        String claimId = hub().submit(PolicyDatabases.UNKNOWN, "1500.00");

        HttpResponse<String> response = hub().post("/api/claims/" + claimId + "/events", """
                {"eventType":"claim.policy.checked","data":{"covered":true,"policyStatus":"in-force",
                 "coverageLimit":{"amount":1000000.00,"currency":"EUR"},"deductible":{"amount":0,"currency":"EUR"}}}""");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("recorded by the hub's policy adapter only");
        assertThat(hub().claim(claimId).get("policyCheck").asText()).isEqualTo("pending");
        assertThat(hub().policyEvents(claimId)).isEmpty();
    }

    @Test
    void policyDatabaseCallsAreTimedAsPartnerCalls() throws Exception {
        checked(PolicyDatabases.COVERED);

        assertThat(hub().metrics()).containsPattern("claimshub_partner_call_seconds_count\\{[^}]*partner=\"policy-db\"");
    }

    private JsonNode checked(String policyNumber) throws Exception {
        String claimId = hub().submit(policyNumber, "1500.00");
        hub().handToPolicyAdapter(claimId);
        JsonNode claim = hub().awaitPolicyChecked(claimId);
        assertThat(hub().policyEvents(claimId)).hasSize(1);
        return claim;
    }

    private String lastDelivered(String group) {
        return PolicyHub.REDIS.opsForStream().groups(hub().keys.policyChecks()).stream()
                .filter(g -> g.groupName().equals(group)).findFirst().orElseThrow().lastDeliveredId();
    }

    private String lastEntry() {
        return PolicyHub.REDIS.opsForStream().reverseRange(hub().keys.policyChecks(),
                org.springframework.data.domain.Range.unbounded(),
                org.springframework.data.redis.connection.Limit.limit().count(1)).get(0).getId().getValue();
    }
}
