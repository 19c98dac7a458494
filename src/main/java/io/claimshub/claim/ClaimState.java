package io.claimshub.claim;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.event.ClaimSubmitted;
import io.claimshub.event.ClaimType;
import io.claimshub.event.EventJson;
import io.claimshub.event.InvestigationOutcome;
import io.claimshub.event.Money;
import io.claimshub.event.Priority;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The claim snapshot: the current state of one claim, folded from its events by {@link ClaimLifecycle}.
 * Immutable; every change returns a new snapshot. Property names are the same in JSON and in the Redis hash
 * ({@link #toFields()}), and all amounts are in the claim's {@code currency}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
// a snapshot written by a newer hub may carry fields this one does not know
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClaimState(
        // identity and stream position
        String claimId,
        ClaimStatus status,
        long version,
        UUID lastEventId,
        Instant lastEventAt,
        // from claim.submitted
        String policyNumber,
        ClaimType claimType,
        LocalDate incidentDate,
        String description,
        BigDecimal amountClaimed,
        String currency,
        String claimantName,
        String claimantEmail,
        String claimantPhone,
        String region,
        Priority priority,
        // from claim.assigned
        String assigneeId,
        String assigneeName,
        Instant slaDeadline,
        // decisions and payment, in the claim's currency
        BigDecimal approvedAmount,
        String rejectionReasonCode,
        String rejectionReasonText,
        String paymentId,
        BigDecimal paymentAmount,
        // investigation: required by business rules, cleared only by a 'cleared' outcome
        boolean investigationRequired,
        String investigationReason,
        InvestigationOutcome investigationOutcome,
        int documentsCount,
        // when each stage was reached
        Instant submittedAt,
        Instant assignedAt,
        Instant approvedAt,
        Instant rejectedAt,
        Instant paymentInitiatedAt,
        Instant paidAt,
        Instant slaBreachedAt,
        // from claim.policy.checked (policy adapter); pending until it arrives. Amounts in the claim's currency
        PolicyCheck policyCheck,
        String policyStatus,
        String policyCheckReason,
        BigDecimal coverageLimit,
        BigDecimal deductible) {

    public ClaimState {
        if (claimId == null || status == null) {
            throw new IllegalArgumentException("a claim snapshot needs a claimId and a status");
        }
        // a snapshot written before policy checks existed reads as still waiting for one
        if (policyCheck == null) {
            policyCheck = PolicyCheck.PENDING;
        }
    }

    /** The snapshot of a claim just opened by {@code claim.submitted}, before it is stamped with that event. */
    public static ClaimState submitted(String claimId, ClaimSubmitted submission, Instant submittedAt) {
        Builder claim = new Builder(claimId, ClaimStatus.SUBMITTED)
                .policyNumber(submission.policyNumber())
                .claimType(submission.claimType())
                .incidentDate(submission.incidentDate())
                .description(submission.description())
                .region(submission.region())
                .priority(submission.priority())
                .submittedAt(submittedAt);
        if (submission.amountClaimed() != null) {
            claim.amountClaimed(submission.amountClaimed().amount()).currency(submission.amountClaimed().currency());
        }
        if (submission.claimant() != null) {
            claim.claimantName(submission.claimant().name())
                    .claimantEmail(submission.claimant().email())
                    .claimantPhone(submission.claimant().phone());
        }
        return claim.build();
    }

    /** Records which event produced this snapshot and the claim version it brings the claim to. */
    public ClaimState afterEvent(UUID eventId, Instant eventAt, long newVersion) {
        return toBuilder().lastEventId(eventId).lastEventAt(eventAt).version(newVersion).build();
    }

    /** Assigns or reassigns the claim; a new deadline starts a new SLA, so an earlier breach no longer applies. */
    public ClaimState assignTo(String adjusterId, String adjusterName, Instant assignedAt, Instant newSlaDeadline) {
        return toBuilder().status(ClaimStatus.ASSIGNED).assigneeId(adjusterId).assigneeName(adjusterName)
                .assignedAt(assignedAt).slaDeadline(newSlaDeadline).slaBreachedAt(null).build();
    }

    public ClaimState addDocument() {
        return toBuilder().documentsCount(documentsCount + 1).build();
    }

    public ClaimState recordInvestigation(InvestigationOutcome outcome) {
        return toBuilder().investigationOutcome(outcome).build();
    }

    /**
     * Blocks approval until an investigation clears the claim. Any earlier outcome is dropped: it predates the
     * reason for this requirement, so it cannot clear it.
     */
    public ClaimState requireInvestigation(String reason) {
        return toBuilder().investigationRequired(true).investigationReason(reason).investigationOutcome(null).build();
    }

    public ClaimState approve(BigDecimal amount, Instant at) {
        return toBuilder().status(ClaimStatus.APPROVED).approvedAmount(amount).approvedAt(at).build();
    }

    public ClaimState reject(String reasonCode, String reasonText, Instant at) {
        return toBuilder().status(ClaimStatus.REJECTED).rejectionReasonCode(reasonCode)
                .rejectionReasonText(reasonText).rejectedAt(at).build();
    }

    public ClaimState initiatePayment(String newPaymentId, BigDecimal amount, Instant at) {
        return toBuilder().status(ClaimStatus.PAYMENT_INITIATED).paymentId(newPaymentId).paymentAmount(amount)
                .paymentInitiatedAt(at).build();
    }

    public ClaimState completePayment(Instant at) {
        return toBuilder().status(ClaimStatus.PAID).paidAt(at).build();
    }

    public ClaimState recordSlaBreach(Instant breachedAt) {
        return toBuilder().slaBreachedAt(breachedAt).build();
    }

    /** The policy adapter's verdict; limit and deductible null unless the policy covers the claim. */
    public ClaimState recordPolicyCheck(boolean covered, String newPolicyStatus, String reason, BigDecimal limit,
                                        BigDecimal newDeductible) {
        return toBuilder().policyCheck(covered ? PolicyCheck.COVERED : PolicyCheck.NOT_COVERED)
                .policyStatus(newPolicyStatus).policyCheckReason(reason).coverageLimit(limit)
                .deductible(newDeductible).build();
    }

    /**
     * The most the insurer pays on this claim under its policy: coverage limit less deductible (never below zero);
     * null unless the policy check found the claim covered.
     */
    public Money payableUnderPolicy() {
        if (policyCheck != PolicyCheck.COVERED || coverageLimit == null) {
            return null;
        }
        BigDecimal payable = coverageLimit.subtract(deductible == null ? BigDecimal.ZERO : deductible);
        return new Money(payable.signum() < 0 ? BigDecimal.ZERO : payable, currency);
    }

    /** True while an investigation is required and the latest outcome is not {@code cleared}. */
    public boolean awaitsInvestigationClearance() {
        return investigationRequired && investigationOutcome != InvestigationOutcome.CLEARED;
    }

    @JsonIgnore
    public boolean isFinal() {
        return status.isFinal();
    }

    public Money claimedMoney() {
        return new Money(amountClaimed, currency);
    }

    public Money approvedMoney() {
        return new Money(approvedAmount, currency);
    }

    /** The snapshot as Redis hash fields: every value a string, absent values left out. */
    public Map<String, String> toFields() {
        ObjectNode json = EventJson.toObjectNode(this);
        Map<String, String> fields = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            fields.put(field.getKey(), value.isNumber() ? value.decimalValue().toPlainString() : value.asText());
        }
        return fields;
    }

    /** Reads a snapshot back from Redis hash fields written by {@link #toFields()}. */
    public static ClaimState fromFields(Map<String, String> fields) {
        ObjectNode json = EventJson.mapper().createObjectNode();
        fields.forEach(json::put);
        try {
            // Jackson turns the hash's strings back into numbers, booleans, dates and enums
            return EventJson.mapper().treeToValue(json, ClaimState.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("unreadable claim snapshot " + fields.get("claimId") + ": "
                    + e.getMessage(), e);
        }
    }

    private Builder toBuilder() {
        return new Builder(this);
    }

    /** Copies a snapshot so a single change can be made without repeating all the components. */
    private static final class Builder {
        private String claimId;
        private ClaimStatus status;
        private long version;
        private UUID lastEventId;
        private Instant lastEventAt;
        private String policyNumber;
        private ClaimType claimType;
        private LocalDate incidentDate;
        private String description;
        private BigDecimal amountClaimed;
        private String currency;
        private String claimantName;
        private String claimantEmail;
        private String claimantPhone;
        private String region;
        private Priority priority;
        private String assigneeId;
        private String assigneeName;
        private Instant slaDeadline;
        private BigDecimal approvedAmount;
        private String rejectionReasonCode;
        private String rejectionReasonText;
        private String paymentId;
        private BigDecimal paymentAmount;
        private boolean investigationRequired;
        private String investigationReason;
        private InvestigationOutcome investigationOutcome;
        private int documentsCount;
        private Instant submittedAt;
        private Instant assignedAt;
        private Instant approvedAt;
        private Instant rejectedAt;
        private Instant paymentInitiatedAt;
        private Instant paidAt;
        private Instant slaBreachedAt;
        private PolicyCheck policyCheck = PolicyCheck.PENDING;
        private String policyStatus;
        private String policyCheckReason;
        private BigDecimal coverageLimit;
        private BigDecimal deductible;

        Builder(String claimId, ClaimStatus status) {
            this.claimId = claimId;
            this.status = status;
        }

        Builder(ClaimState state) {
            this.claimId = state.claimId;
            this.status = state.status;
            this.version = state.version;
            this.lastEventId = state.lastEventId;
            this.lastEventAt = state.lastEventAt;
            this.policyNumber = state.policyNumber;
            this.claimType = state.claimType;
            this.incidentDate = state.incidentDate;
            this.description = state.description;
            this.amountClaimed = state.amountClaimed;
            this.currency = state.currency;
            this.claimantName = state.claimantName;
            this.claimantEmail = state.claimantEmail;
            this.claimantPhone = state.claimantPhone;
            this.region = state.region;
            this.priority = state.priority;
            this.assigneeId = state.assigneeId;
            this.assigneeName = state.assigneeName;
            this.slaDeadline = state.slaDeadline;
            this.approvedAmount = state.approvedAmount;
            this.rejectionReasonCode = state.rejectionReasonCode;
            this.rejectionReasonText = state.rejectionReasonText;
            this.paymentId = state.paymentId;
            this.paymentAmount = state.paymentAmount;
            this.investigationRequired = state.investigationRequired;
            this.investigationReason = state.investigationReason;
            this.investigationOutcome = state.investigationOutcome;
            this.documentsCount = state.documentsCount;
            this.submittedAt = state.submittedAt;
            this.assignedAt = state.assignedAt;
            this.approvedAt = state.approvedAt;
            this.rejectedAt = state.rejectedAt;
            this.paymentInitiatedAt = state.paymentInitiatedAt;
            this.paidAt = state.paidAt;
            this.slaBreachedAt = state.slaBreachedAt;
            this.policyCheck = state.policyCheck;
            this.policyStatus = state.policyStatus;
            this.policyCheckReason = state.policyCheckReason;
            this.coverageLimit = state.coverageLimit;
            this.deductible = state.deductible;
        }

        Builder status(ClaimStatus status) {
            this.status = status;
            return this;
        }

        Builder version(long version) {
            this.version = version;
            return this;
        }

        Builder lastEventId(UUID lastEventId) {
            this.lastEventId = lastEventId;
            return this;
        }

        Builder lastEventAt(Instant lastEventAt) {
            this.lastEventAt = lastEventAt;
            return this;
        }

        Builder policyNumber(String policyNumber) {
            this.policyNumber = policyNumber;
            return this;
        }

        Builder claimType(ClaimType claimType) {
            this.claimType = claimType;
            return this;
        }

        Builder incidentDate(LocalDate incidentDate) {
            this.incidentDate = incidentDate;
            return this;
        }

        Builder description(String description) {
            this.description = description;
            return this;
        }

        Builder amountClaimed(BigDecimal amountClaimed) {
            this.amountClaimed = amountClaimed;
            return this;
        }

        Builder currency(String currency) {
            this.currency = currency;
            return this;
        }

        Builder claimantName(String claimantName) {
            this.claimantName = claimantName;
            return this;
        }

        Builder claimantEmail(String claimantEmail) {
            this.claimantEmail = claimantEmail;
            return this;
        }

        Builder claimantPhone(String claimantPhone) {
            this.claimantPhone = claimantPhone;
            return this;
        }

        Builder region(String region) {
            this.region = region;
            return this;
        }

        Builder priority(Priority priority) {
            this.priority = priority;
            return this;
        }

        Builder assigneeId(String assigneeId) {
            this.assigneeId = assigneeId;
            return this;
        }

        Builder assigneeName(String assigneeName) {
            this.assigneeName = assigneeName;
            return this;
        }

        Builder slaDeadline(Instant slaDeadline) {
            this.slaDeadline = slaDeadline;
            return this;
        }

        Builder approvedAmount(BigDecimal approvedAmount) {
            this.approvedAmount = approvedAmount;
            return this;
        }

        Builder rejectionReasonCode(String rejectionReasonCode) {
            this.rejectionReasonCode = rejectionReasonCode;
            return this;
        }

        Builder rejectionReasonText(String rejectionReasonText) {
            this.rejectionReasonText = rejectionReasonText;
            return this;
        }

        Builder paymentId(String paymentId) {
            this.paymentId = paymentId;
            return this;
        }

        Builder paymentAmount(BigDecimal paymentAmount) {
            this.paymentAmount = paymentAmount;
            return this;
        }

        Builder investigationRequired(boolean investigationRequired) {
            this.investigationRequired = investigationRequired;
            return this;
        }

        Builder investigationReason(String investigationReason) {
            this.investigationReason = investigationReason;
            return this;
        }

        Builder investigationOutcome(InvestigationOutcome investigationOutcome) {
            this.investigationOutcome = investigationOutcome;
            return this;
        }

        Builder documentsCount(int documentsCount) {
            this.documentsCount = documentsCount;
            return this;
        }

        Builder submittedAt(Instant submittedAt) {
            this.submittedAt = submittedAt;
            return this;
        }

        Builder assignedAt(Instant assignedAt) {
            this.assignedAt = assignedAt;
            return this;
        }

        Builder approvedAt(Instant approvedAt) {
            this.approvedAt = approvedAt;
            return this;
        }

        Builder rejectedAt(Instant rejectedAt) {
            this.rejectedAt = rejectedAt;
            return this;
        }

        Builder paymentInitiatedAt(Instant paymentInitiatedAt) {
            this.paymentInitiatedAt = paymentInitiatedAt;
            return this;
        }

        Builder paidAt(Instant paidAt) {
            this.paidAt = paidAt;
            return this;
        }

        Builder slaBreachedAt(Instant slaBreachedAt) {
            this.slaBreachedAt = slaBreachedAt;
            return this;
        }

        Builder policyCheck(PolicyCheck policyCheck) {
            this.policyCheck = policyCheck;
            return this;
        }

        Builder policyStatus(String policyStatus) {
            this.policyStatus = policyStatus;
            return this;
        }

        Builder policyCheckReason(String policyCheckReason) {
            this.policyCheckReason = policyCheckReason;
            return this;
        }

        Builder coverageLimit(BigDecimal coverageLimit) {
            this.coverageLimit = coverageLimit;
            return this;
        }

        Builder deductible(BigDecimal deductible) {
            this.deductible = deductible;
            return this;
        }

        ClaimState build() {
            return new ClaimState(
                    claimId,
                    status,
                    version,
                    lastEventId,
                    lastEventAt,
                    policyNumber,
                    claimType,
                    incidentDate,
                    description,
                    amountClaimed,
                    currency,
                    claimantName,
                    claimantEmail,
                    claimantPhone,
                    region,
                    priority,
                    assigneeId,
                    assigneeName,
                    slaDeadline,
                    approvedAmount,
                    rejectionReasonCode,
                    rejectionReasonText,
                    paymentId,
                    paymentAmount,
                    investigationRequired,
                    investigationReason,
                    investigationOutcome,
                    documentsCount,
                    submittedAt,
                    assignedAt,
                    approvedAt,
                    rejectedAt,
                    paymentInitiatedAt,
                    paidAt,
                    slaBreachedAt,
                    policyCheck,
                    policyStatus,
                    policyCheckReason,
                    coverageLimit,
                    deductible);
        }
    }
}
