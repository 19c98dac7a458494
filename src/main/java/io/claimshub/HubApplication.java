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
        // jar defaults first, then the operator's file; environment variables override both
        main.setPropertyPlaceholderLocations(
                "classpath:application.properties,file:config/application.properties;optional=true");
        main.run(args);
    }
}
