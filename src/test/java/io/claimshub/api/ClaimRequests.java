package io.claimshub.api;

/** Request bodies a client sends to the claims API. */
final class ClaimRequests {

    /** A valid submission: an auto claim from eu-west over 1500.00 EUR. */
    static final String SUBMISSION = """
            {"policyNumber":"POL-123456","claimType":"auto","incidentDate":"2026-02-27",
             "description":"Rear-ended at a traffic light","amountClaimed":{"amount":1500.00,"currency":"EUR"},
             "claimant":{"name":"Ada Lovelace","email":"ada@example.com","phone":"+447700900123"},
             "region":"eu-west","priority":"normal"}""";

    private ClaimRequests() {
    }
}
