package io.claimshub.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/** The hub's YAML routes in a plain Camel context, for tests of a few routes without booting the whole hub. */
public final class HubRoutes {

    private HubRoutes() {
    }

    /** A context with the hub's application.properties, {@code settings} over them. */
    public static CamelContext context(Map<String, String> settings) {
        CamelContext context = new DefaultCamelContext();
        Properties properties = applicationProperties();
        settings.forEach(properties::setProperty);
        context.getPropertiesComponent().setInitialProperties(properties);
        return context;
    }

    /** The hub's application.properties, as the jar ships them. */
    public static Properties applicationProperties() {
        Properties properties = new Properties();
        try (InputStream in = HubRoutes.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /**
     * Loads the hub's route files ({@code hubFiles}, paths under routes/ such as "templates/consumer-group") and
     * routes given as YAML text, then starts the context.
     */
    public static void start(CamelContext context, List<String> hubFiles, String... yamlRoutes) throws Exception {
        PluginHelper.getRoutesLoader(context).loadRoutes(resources(context, hubFiles, yamlRoutes));
        context.start();
    }

    /**
     * The route builders of the hub's route files and of routes given as YAML text, for a test's context to add (as
     * CamelTestSupport's {@code createRouteBuilders} does), e.g. before AdviceWith changes them.
     */
    public static RoutesBuilder[] builders(CamelContext context, List<String> hubFiles, String... yamlRoutes)
            throws Exception {
        return PluginHelper.getRoutesLoader(context).findRoutesBuilders(resources(context, hubFiles, yamlRoutes))
                .toArray(RoutesBuilder[]::new);
    }

    private static List<Resource> resources(CamelContext context, List<String> hubFiles, String... yamlRoutes)
            throws IOException {
        List<Resource> resources = new ArrayList<>();
        for (String file : hubFiles) {
            resources.add(ResourceHelper.resolveMandatoryResource(context, "classpath:routes/" + file + ".camel.yaml"));
        }
        for (int i = 0; i < yamlRoutes.length; i++) {
            resources.add(ResourceHelper.fromString("test-routes-" + i + ".camel.yaml", yamlRoutes[i]));
        }
        return resources;
    }
}
