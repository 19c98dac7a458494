package io.claimshub;

import io.claimshub.security.ApiKeyCommand;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.main.Main;

/**
 * Boots the hub: Camel Main scans {@code io.claimshub} for configuration classes and loads the YAML routes.
 */
public final class HubApplication {

    /**
     * Camel Main ignores environment variables ending in {@code _PORT} (it takes them for Kubernetes service links),
     * so these settings' variables are passed on here, to beat the properties files like every other variable.
     */
    private static final String[] PORT_SETTINGS = {"camel.server.port", "camel.management.port"};

    private HubApplication() {
    }

    public static void main(String... args) throws Exception {
        if (args.length > 0 && "keys".equals(args[0])) {
            // API keys are managed before (and without) Camel: keys create|revoke|list
            System.exit(keys(args, Map.of(), System.out, System.err));
        }
        Main main = new Main(HubApplication.class);
        // the operator's file overrides the jar's defaults: Camel takes a key from the first location that has it
        main.setPropertyPlaceholderLocations(
                "file:config/application.properties;optional=true,classpath:application.properties");
        for (String setting : PORT_SETTINGS) {
            String value = System.getenv(setting.toUpperCase(Locale.ROOT).replace('.', '_'));
            if (value != null && !value.isBlank()) {
                main.addOverrideProperty(setting, value.trim());
            }
        }
        main.run(args);
    }

    /**
     * {@code keys create --name <name> --roles <role,...> [--adjuster <id>]}, {@code keys revoke --name <name>},
     * {@code keys list}, against the Redis the hub's settings name ({@code overrides} win over them); answers the exit
     * code.
     */
    public static int keys(String[] args, Map<String, String> overrides, PrintStream out, PrintStream err)
            throws Exception {
        return ApiKeyCommand.run(args, ApiKeyCommand.settings(overrides), out, err);
    }
}
