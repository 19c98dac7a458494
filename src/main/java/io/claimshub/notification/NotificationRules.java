package io.claimshub.notification;

import io.claimshub.claim.ClaimState;
import io.claimshub.claim.ClaimStatus;
import io.claimshub.event.ClaimType;
import io.claimshub.event.EventType;
import io.claimshub.event.Priority;
import io.claimshub.processing.InvalidConfigurationException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The notification rules of {@code config/notifications.yaml}: per event type and optional conditions, which channel
 * sends to which recipient with which template; the role addresses; the fallback language; and the notifications
 * the compliance report expects with their deadlines. Immutable: a reloaded file is a new instance.
 */
public final class NotificationRules {

    /** A notification the compliance report expects, sent to the claimant by e-mail after one of these events. */
    public record Expectation(String name, Set<String> eventTypes, Duration within) {
    }

    /** A delivery a rule asks for on an event. */
    public record Match(NotificationRule rule, NotificationRule.Delivery delivery) {
    }

    private final String defaultLocale;
    private final Map<String, List<String>> roles;
    private final List<NotificationRule> rules;
    private final List<Expectation> compliance;

    private NotificationRules(String defaultLocale, Map<String, List<String>> roles, List<NotificationRule> rules,
                              List<Expectation> compliance) {
        this.defaultLocale = defaultLocale;
        this.roles = roles;
        this.rules = rules;
        this.compliance = compliance;
    }

    /**
     * Reads the rules file.
     *
     * @param templateProblem says what is wrong with a rule's template for a channel (e.g. no such file), or empty
     * @throws InvalidConfigurationException naming the file and the line at fault
     */
    public static NotificationRules load(Path file, TemplateCheck templateProblem) {
        YamlTree root = YamlTree.read(file);
        root.allowOnly("defaultLocale", "roles", "rules", "compliance");
        String defaultLocale = root.has("defaultLocale") ? root.text("defaultLocale") : "en";
        Map<String, List<String>> roles = new LinkedHashMap<>();
        if (root.has("roles")) {
            root.mapping("roles").forEach((role, addresses) -> {
                List<String> list = new ArrayList<>();
                for (YamlTree address : addresses.oneOrMoreSelf()) {
                    String text = address.text();
                    if (!Recipient.isEmail(text) && !Recipient.isPhone(text)) {
                        throw address.problem("role '" + role + "': '" + text
                                + "' is neither an e-mail address nor an E.164 phone number");
                    }
                    list.add(text.contains("@") ? text : text.replace(" ", ""));
                }
                roles.put(role, List.copyOf(list));
            });
        }
        List<NotificationRule> rules = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (YamlTree entry : root.objects("rules")) {
            NotificationRule rule = rule(entry, roles, defaultLocale, templateProblem);
            if (!names.add(rule.name())) {
                throw entry.problem("rule name '" + rule.name() + "' is used twice");
            }
            rules.add(rule);
        }
        List<Expectation> compliance = new ArrayList<>();
        if (root.has("compliance")) {
            root.mapping("compliance").forEach((name, expectation) -> compliance.add(expectation(name, expectation)));
        }
        return new NotificationRules(defaultLocale, Map.copyOf(roles), List.copyOf(rules), List.copyOf(compliance));
    }

    private static NotificationRule rule(YamlTree entry, Map<String, List<String>> roles, String defaultLocale,
                                         TemplateCheck templateProblem) {
        entry.allowOnly("name", "on", "when", "send");
        String name = entry.text("name");
        Set<String> eventTypes = eventTypes(entry);
        RuleCondition when = entry.has("when") ? condition(entry.object("when")) : RuleCondition.ALWAYS;
        List<NotificationRule.Delivery> deliveries = new ArrayList<>();
        for (YamlTree send : entry.objects("send")) {
            send.allowOnly("channel", "to", "template");
            String channelName = send.text("channel");
            Channel channel = Channel.fromWire(channelName).orElseThrow(() -> send.get("channel").problem(
                    "rule '" + name + "': unknown channel '" + channelName + "' (expected email, sms or webhook)"));
            Recipient to;
            try {
                to = Recipient.parse(send.text("to"), channel);
            } catch (IllegalArgumentException e) {
                throw send.get("to").problem("rule '" + name + "': " + e.getMessage());
            }
            if (to.kind() == Recipient.Kind.ROLE && !roles.containsKey(to.value())) {
                throw send.get("to").problem("rule '" + name + "': no role '" + to.value() + "' under roles (known: "
                        + String.join(", ", roles.keySet()) + ")");
            }
            String template = null;
            if (channel.templated()) {
                template = send.text("template");
                Optional<String> problem = templateProblem.problem(template, channel, defaultLocale);
                if (problem.isPresent()) {
                    throw send.get("template").problem("rule '" + name + "': " + problem.get());
                }
            } else if (send.has("template")) {
                throw send.get("template").problem("rule '" + name
                        + "': a webhook status update is the claim's status as JSON and takes no template");
            }
            deliveries.add(new NotificationRule.Delivery(channel, to, template));
        }
        return new NotificationRule(name, eventTypes, when, List.copyOf(deliveries), entry.line());
    }

    private static Set<String> eventTypes(YamlTree entry) {
        Set<String> types = new LinkedHashSet<>();
        for (YamlTree type : entry.oneOrMore("on")) {
            String wire = type.text();
            if (!EventType.isKnown(wire)) {
                throw type.problem("unknown event type '" + wire + "'");
            }
            types.add(wire);
        }
        return Set.copyOf(types);
    }

    private static RuleCondition condition(YamlTree when) {
        when.allowOnly("claimType", "region", "priority", "status", "amountAbove", "amountBelow");
        Set<ClaimType> claimTypes = when.has("claimType")
                ? values(when, "claimType", ClaimType::fromWire) : Set.of();
        Set<String> regions = when.has("region") ? values(when, "region", text -> text) : Set.of();
        Set<Priority> priorities = when.has("priority") ? values(when, "priority", Priority::fromWire) : Set.of();
        Set<ClaimStatus> statuses = when.has("status") ? values(when, "status", NotificationRules::status) : Set.of();
        return new RuleCondition(claimTypes, regions, priorities, statuses, amount(when, "amountAbove"),
                amount(when, "amountBelow"));
    }

    private static ClaimStatus status(String wire) {
        for (ClaimStatus status : ClaimStatus.values()) {
            if (status.name().equalsIgnoreCase(wire)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown status '" + wire + "'");
    }

    private static <T> Set<T> values(YamlTree when, String field, Function<String, T> parse) {
        Set<T> values = new LinkedHashSet<>();
        for (YamlTree value : when.oneOrMore(field)) {
            try {
                values.add(parse.apply(value.text().toLowerCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw value.problem("when." + field + ": " + e.getMessage());
            }
        }
        return Set.copyOf(values);
    }

    private static BigDecimal amount(YamlTree when, String field) {
        if (!when.has(field)) {
            return null;
        }
        try {
            return new BigDecimal(when.text(field));
        } catch (NumberFormatException e) {
            throw when.get(field).problem("when." + field + " must be a number");
        }
    }

    private static Expectation expectation(String name, YamlTree expectation) {
        expectation.allowOnly("on", "within");
        Set<String> types = eventTypes(expectation);
        try {
            return new Expectation(name, types, Duration.parse(expectation.text("within")));
        } catch (DateTimeParseException e) {
            throw expectation.get("within").problem("compliance " + name
                    + ".within must be an ISO-8601 duration such as PT24H");
        }
    }

    /** The deliveries the rules ask for on an event of this type, for the claim as it is after that event. */
    public List<Match> matching(String eventType, ClaimState claim) {
        List<Match> matches = new ArrayList<>();
        for (NotificationRule rule : rules) {
            if (rule.eventTypes().contains(eventType) && rule.when().matches(claim)) {
                rule.send().forEach(delivery -> matches.add(new Match(rule, delivery)));
            }
        }
        return matches;
    }

    /** The rules that would fire on this event type but whose condition does not hold (recorded as skipped). */
    public List<NotificationRule> skipped(String eventType, ClaimState claim) {
        return rules.stream().filter(r -> r.eventTypes().contains(eventType) && !r.when().matches(claim)).toList();
    }

    public List<String> roleAddresses(String role) {
        return roles.getOrDefault(role, List.of());
    }

    public String defaultLocale() {
        return defaultLocale;
    }

    public List<NotificationRule> rules() {
        return rules;
    }

    public List<Expectation> compliance() {
        return compliance;
    }

    /** Says whether a template can be used for a channel; the rules loader asks it for every rule's template. */
    @FunctionalInterface
    public interface TemplateCheck {
        Optional<String> problem(String template, Channel channel, String defaultLocale);
    }
}
