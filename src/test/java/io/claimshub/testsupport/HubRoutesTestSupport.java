package io.claimshub.testsupport;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;

/**
 * A CamelTestSupport test of some of the hub's YAML routes ({@link HubRoutes}), with the hub's application.properties
 * and the test's settings over them. The context is not started for the test: it may bind beans or advise a route
 * first, then starts it.
 */
public abstract class HubRoutesTestSupport extends CamelTestSupport {

    /** The hub's route files the test loads, paths under routes/ such as "templates/consumer-group". */
    protected abstract List<String> hubRouteFiles();

    /** Routes of the test's own, as YAML text, loaded with the hub's. */
    protected String[] yamlRoutes() {
        return new String[0];
    }

    /** Settings over the hub's application.properties. */
    protected Map<String, String> settings() {
        return Map.of();
    }

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withUseAdviceWith(true);
    }

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        Properties properties = HubRoutes.applicationProperties();
        settings().forEach(properties::setProperty);
        configuration.withUseOverridePropertiesWithPropertiesComponent(properties);
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        return HubRoutes.builders(context, hubRouteFiles(), yamlRoutes());
    }
}
