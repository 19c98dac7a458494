package io.claimshub.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.camel.PropertyInject;
import org.junit.jupiter.api.Test;

/** Each setting a bean injects has its one default in application.properties, not a second one in the code. */
class PropertyInjectTest {

    @Test
    void everyInjectedSettingIsInApplicationPropertiesAndHasNoDefaultInTheCode() throws Exception {
        Properties defaults = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            defaults.load(in);
        }
        List<String> repeatedDefaults = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Class<?> type : mainClasses()) {
            for (Field field : type.getDeclaredFields()) {
                PropertyInject inject = field.getAnnotation(PropertyInject.class);
                if (inject == null) {
                    continue;
                }
                String where = type.getSimpleName() + "." + field.getName() + " (" + inject.value() + ")";
                if (!inject.defaultValue().isEmpty()) {
                    repeatedDefaults.add(where);
                }
                if (!defaults.containsKey(inject.value())) {
                    missing.add(where);
                }
            }
        }
        assertThat(repeatedDefaults).as("@PropertyInject with a default of its own").isEmpty();
        assertThat(missing).as("@PropertyInject of a setting application.properties does not have").isEmpty();
    }

    private static List<Class<?>> mainClasses() throws IOException, ClassNotFoundException {
        Path sources = Path.of("src/main/java");
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String name = sources.relativize(file).toString().replace(".java", "").replace('/', '.');
                classes.add(Class.forName(name, false, PropertyInjectTest.class.getClassLoader()));
            }
        }
        return classes;
    }
}
