package io.claimshub.processing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The adjusters claims may be assigned to, loaded from {@code config/adjusters.yaml}. Immutable: a changed
 * roster is a new instance, so a choice in progress never sees a half-edited list.
 */
public final class AdjusterRoster {

    private final Map<String, Adjuster> byId;

    private AdjusterRoster(Map<String, Adjuster> byId) {
        this.byId = byId;
    }

    public static AdjusterRoster of(List<Adjuster> adjusters) {
        if (adjusters.isEmpty()) {
            throw new IllegalArgumentException("the roster must list at least one adjuster");
        }
        Map<String, Adjuster> byId = new LinkedHashMap<>();
        adjusters.stream().sorted(Comparator.comparing(Adjuster::id)).forEach(adjuster -> {
            if (byId.putIfAbsent(adjuster.id(), adjuster) != null) {
                throw new IllegalArgumentException("adjuster " + adjuster.id() + " is listed more than once");
            }
        });
        return new AdjusterRoster(Collections.unmodifiableMap(byId));
    }

    /**
     * Reads a roster file of the form {@code adjusters: [ {id, name, email, phone, claimTypes, regions,
     * seniority, authorityLimit, maxOpenClaims}, ... ]}.
     *
     * @throws InvalidConfigurationException naming the file, the adjuster and the field at fault
     */
    public static AdjusterRoster load(Path file) {
        ConfigNode root = ConfigNode.read(file);
        root.allowOnly("adjusters");
        List<Adjuster> adjusters = new ArrayList<>();
        for (ConfigNode entry : root.objects("adjusters")) {
            adjusters.add(adjuster(entry));
        }
        try {
            return of(adjusters);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(file, e.getMessage(), e);
        }
    }

    private static Adjuster adjuster(ConfigNode entry) {
        String id = entry.text("id");
        ConfigNode adjuster = entry.describedAs("adjuster " + id);
        adjuster.allowOnly("id", "name", "email", "phone", "claimTypes", "regions", "seniority",
                "authorityLimit", "maxOpenClaims");
        try {
            return new Adjuster(id,
                    adjuster.text("name"),
                    adjuster.text("email"),
                    adjuster.text("phone"),
                    adjuster.texts("claimTypes"),
                    adjuster.texts("regions"),
                    adjuster.choice("seniority", Seniority.class),
                    adjuster.amount("authorityLimit"),
                    adjuster.integer("maxOpenClaims"));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(adjuster.file(), e.getMessage(), e);
        }
    }

    /** Every adjuster, ordered by id. */
    public List<Adjuster> adjusters() {
        return List.copyOf(byId.values());
    }

    public Optional<Adjuster> find(String adjusterId) {
        return Optional.ofNullable(byId.get(adjusterId));
    }

    public int size() {
        return byId.size();
    }
}
