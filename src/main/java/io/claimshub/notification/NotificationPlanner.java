package io.claimshub.notification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.claim.ClaimLifecycle;
import io.claimshub.claim.ClaimState;
import io.claimshub.event.EventEnvelope;
import io.claimshub.event.EventJson;
import io.claimshub.event.EventType;
import io.claimshub.event.StoredEvent;
import io.claimshub.event.StreamEntryCodec;
import io.claimshub.privacy.PersonalData;
import io.claimshub.processing.Adjuster;
import io.claimshub.processing.AdjusterRoster;
import io.claimshub.store.ClaimEventStore;
import io.claimshub.store.ClaimKeys;
import io.claimshub.store.ClaimantPseudonyms;
import io.claimshub.store.EventNotInClaimStreamException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The notifications group's first step: for one entry of the claim log, the messages the rules ask for, one per
 * (event, channel, recipient), each with its recipient's address, language, template file and model. The claim is
 * folded from its own stream up to this event (so the message describes the claim as the event left it, whatever
 * the processors have done since), and an entry that is not its claim's stream's event is refused. Rules whose
 * condition does not hold, and recipients without an address, are recorded as skipped.
 */
public final class NotificationPlanner {

    private final ClaimEventStore store;
    private final ClaimLifecycle lifecycle;
    private final Supplier<NotificationRules> rules;
    private final Supplier<AdjusterRoster> roster;
    private final Templates templates;
    private final SendLedger ledger;
    private final Supplier<ClaimantPseudonyms> pseudonyms;
    private final Clock clock;
    // the claim's personal data is read through it, and every message about the claim sealed with the claimant's key
    private volatile PersonalData personalData = PersonalData.off();

    public NotificationPlanner(ClaimEventStore store, ClaimLifecycle lifecycle, Supplier<NotificationRules> rules,
                               Supplier<AdjusterRoster> roster, Templates templates, SendLedger ledger,
                               Supplier<ClaimantPseudonyms> pseudonyms, Clock clock) {
        this.store = store;
        this.lifecycle = lifecycle;
        this.rules = rules;
        this.roster = roster;
        this.templates = templates;
        this.ledger = ledger;
        this.pseudonyms = pseudonyms;
        this.clock = clock;
    }

    /** Read the claims' personal data through this access point (docs/data-protection.md). */
    public NotificationPlanner revealWith(PersonalData protection) {
        this.personalData = protection;
        return this;
    }

    public List<PlannedMessage> plan(Map<String, String> logEntryFields) {
        StoredEvent stored = StreamEntryCodec.decode(logEntryFields);
        EventEnvelope event = stored.event();
        String claimId = event.claimId();
        List<StoredEvent> history = store.history(claimId);
        ClaimState claim = null;
        JsonNode submittedData = null;
        boolean found = false;
        for (StoredEvent past : history) {
            if (past.event().type() == EventType.CLAIM_SUBMITTED) {
                submittedData = past.event().data();
            }
            claim = lifecycle.apply(claim, past.event(), past.claimVersion());
            if (past.event().eventId().equals(event.eventId())) {
                found = past.claimVersion() == stored.claimVersion();
                break;
            }
        }
        if (!found) {
            throw new EventNotInClaimStreamException(StreamEntryCodec.EVENT_ID, "event " + event.eventId() + " ("
                    + event.eventType() + ") is not entry " + stored.claimVersion() + " of "
                    + ClaimKeys.claimStream(claimId));
        }
        // the claimant's data decrypted for the messages only; none is sent once it is erased
        String claimant = personalData.claimantOf(claim);
        boolean erased = personalData.erased(claimant);
        claim = personalData.reveal(claim);
        EventEnvelope shown = personalData.reveal(event);
        String sealedBy = personalData.enabled() && claimant != null ? claimant : "";
        NotificationRules in = rules.get();
        String eventId = event.eventId().toString();
        for (NotificationRule skipped : in.skipped(event.eventType(), claim)) {
            for (NotificationRule.Delivery d : skipped.send()) {
                ledger.skipped(claimId, eventId, event.eventType(), skipped.name(), d.channel(),
                        "rule '" + skipped.name() + "': condition not met");
            }
        }
        String locale = ClaimantContacts.claimantLocale(submittedData).orElse(in.defaultLocale());
        List<PlannedMessage> planned = new ArrayList<>();
        for (NotificationRules.Match match : in.matching(event.eventType(), claim)) {
            NotificationRule.Delivery delivery = match.delivery();
            if (erased && delivery.channel() != Channel.WEBHOOK) {
                ledger.skipped(claimId, eventId, event.eventType(), match.rule().name(), delivery.channel(),
                        "the claimant's personal data is erased");
                continue;
            }
            for (Addressee to : addressees(in, claim, delivery)) {
                if (to.address().isEmpty()) {
                    ledger.skipped(claimId, eventId, event.eventType(), match.rule().name(), delivery.channel(),
                            "no " + delivery.channel().wireName() + " address for " + to.description());
                    continue;
                }
                String ledgerId = eventId + "/" + delivery.channel().wireName() + "/" + to.key();
                if (delivery.channel() == Channel.WEBHOOK) {
                    planned.add(new PlannedMessage(new OutboxMessage(ledgerId, claimId, eventId, event.eventType(),
                            Channel.WEBHOOK, "portal", "", statusUpdate(event, stored.claimVersion(), claim),
                            "", clock.millis()), null, Map.of()));
                    continue;
                }
                String language = to.key().equals("claimant") ? locale : in.defaultLocale();
                String file = templates.resolve(delivery.template(), delivery.channel(), language, in.defaultLocale())
                        .toAbsolutePath().toUri().toString();
                planned.add(new PlannedMessage(new OutboxMessage(ledgerId, claimId, eventId, event.eventType(),
                        delivery.channel(), to.address().get(), "", "", delivery.template(), clock.millis(), sealedBy),
                        file, MessageModel.of(claim, shown, to.name())));
            }
        }
        return planned;
    }

    private record Addressee(String key, Optional<String> address, String name, String description) {
    }

    private List<Addressee> addressees(NotificationRules in, ClaimState claim, NotificationRule.Delivery delivery) {
        Channel channel = delivery.channel();
        Recipient to = delivery.to();
        return switch (to.kind()) {
            case PORTAL -> List.of(new Addressee("portal", Optional.of("portal"), "", "the portal"));
            case CLAIMANT -> List.of(new Addressee("claimant", ClaimantContacts.claimantAddress(claim, channel),
                    ClaimantContacts.claimantName(claim), "the claimant"));
            case ADJUSTER -> {
                Optional<Adjuster> adjuster = claim.assigneeId() == null ? Optional.empty()
                        : roster.get().find(claim.assigneeId());
                yield List.of(new Addressee("adjuster:" + (claim.assigneeId() == null ? "none" : claim.assigneeId()),
                        adjuster.flatMap(a -> ClaimantContacts.adjusterAddress(a, channel)),
                        adjuster.map(Adjuster::name).orElse(""),
                        claim.assigneeId() == null ? "an adjuster (none assigned)" : "adjuster " + claim.assigneeId()));
            }
            case ROLE -> in.roleAddresses(to.value()).stream()
                    .filter(address -> channel == Channel.SMS ? Recipient.isPhone(address) : Recipient.isEmail(address))
                    .map(address -> new Addressee("role:" + to.value() + ":" + pseudonyms.get().ofEmail(address),
                            Optional.of(address), to.value(), "role " + to.value()))
                    .toList();
            case ADDRESS -> List.of(new Addressee("address:" + pseudonyms.get().ofEmail(to.value()),
                    Optional.of(to.value()), "", "a fixed address"));
        };
    }

    /** The status update the portal gets: the claim's new status after this event, as JSON. */
    static String statusUpdate(EventEnvelope event, long claimVersion, ClaimState claim) {
        ObjectNode json = EventJson.mapper().createObjectNode();
        json.put("claimId", claim.claimId());
        json.put("status", claim.status().wireName());
        json.put("eventId", event.eventId().toString());
        json.put("eventType", event.eventType());
        json.put("claimVersion", claimVersion);
        json.put("occurredAt", event.timestamp().toString());
        return json.toString();
    }
}
