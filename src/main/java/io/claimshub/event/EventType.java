package io.claimshub.event;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The claim event types, by wire name. The eight types of the design, plus {@code claim.sla.breached},
 * a hub extension raised by the SLA scheduler when an assigned claim passes its deadline, and
 * {@code claim.policy.checked}, a hub extension recorded by the policy adapter (docs/adapters.md).
 * {@code claim.payment.failed}, a hub extension recorded when the payment system refuses a payment for good.
 */
public enum EventType {
    CLAIM_SUBMITTED("claim.submitted", ClaimSubmitted.class),
    CLAIM_ASSIGNED("claim.assigned", ClaimAssigned.class),
    CLAIM_DOCUMENT_UPLOADED("claim.document.uploaded", ClaimDocumentUploaded.class),
    CLAIM_INVESTIGATED("claim.investigated", ClaimInvestigated.class),
    CLAIM_APPROVED("claim.approved", ClaimApproved.class),
    CLAIM_REJECTED("claim.rejected", ClaimRejected.class),
    CLAIM_PAYMENT_INITIATED("claim.payment.initiated", ClaimPaymentInitiated.class),
    CLAIM_PAYMENT_COMPLETED("claim.payment.completed", ClaimPaymentCompleted.class),
    CLAIM_SLA_BREACHED("claim.sla.breached", ClaimSlaBreached.class),
    CLAIM_POLICY_CHECKED("claim.policy.checked", ClaimPolicyChecked.class),
    CLAIM_PAYMENT_FAILED("claim.payment.failed", ClaimPaymentFailed.class);

    // looked up for every event read or written: a map, not a scan
    private static final Map<String, EventType> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::wireName, type -> type));

    private final String wireName;
    private final Class<? extends ClaimEventData> dataType;

    EventType(String wireName, Class<? extends ClaimEventData> dataType) {
        this.wireName = wireName;
        this.dataType = dataType;
    }

    public String wireName() {
        return wireName;
    }

    public Class<? extends ClaimEventData> dataType() {
        return dataType;
    }

    /** Classpath location of the JSON Schema for this type's {@code data} object. */
    public String schemaResource() {
        return "schema/" + wireName + ".schema.json";
    }

    public static EventType fromWire(String wireName) {
        EventType type = wireName == null ? null : BY_WIRE_NAME.get(wireName);
        if (type == null) {
            throw new InvalidEventException("eventType",
                    "unknown event type '" + wireName + "'; expected one of " + wireNames());
        }
        return type;
    }

    public static boolean isKnown(String wireName) {
        return wireName != null && BY_WIRE_NAME.containsKey(wireName);
    }

    private static String wireNames() {
        return Arrays.stream(values()).map(EventType::wireName).collect(Collectors.joining(", "));
    }
}
