package io.claimshub;

import org.apache.camel.main.Main;

/**
 * Boots the hub: Camel Main scans {@code io.claimshub} for configuration classes and loads the YAML routes.
 */
public final class HubApplication {

    private HubApplication() {
    }

    public static void main(String... args) throws Exception {
        Main main = new Main(HubApplication.class);
        // the operator's file overrides the jar's defaults: Camel takes a key from the first location that has it
        main.setPropertyPlaceholderLocations(
                "file:config/application.properties;optional=true,classpath:application.properties");
        main.run(args);
    }
}
