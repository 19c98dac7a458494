package io.claimshub.config;

import io.claimshub.ops.DeadLetterDescription;
import io.claimshub.ops.SeenEvents;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;

/**
 * The named beans the YAML routes call.
 */
public class HubBeans implements CamelConfiguration {

    @BindToRegistry("seenEvents")
    public SeenEvents seenEvents() {
        return new SeenEvents();
    }

    @BindToRegistry("deadLetterDescription")
    public DeadLetterDescription deadLetterDescription() {
        return new DeadLetterDescription();
    }
}
