package io.claimshub.security;

import io.claimshub.config.RedisConnectionFactories;
import io.claimshub.config.RedisConnectionSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * {@code java -jar claims-hub.jar keys create --name etl --roles intake [--adjuster ADJ-042]}, {@code keys revoke
 * --name etl}, {@code keys list}: API keys managed before Camel starts, on the Redis the hub's settings name
 * (hub.redis.url; empty: the embedded Redis of a running hub, 127.0.0.1:hub.redis.embedded.port). A new key is printed
 * once on standard output; only its hash is stored.
 */
public final class ApiKeyCommand {

    private ApiKeyCommand() {
    }

    /** The settings as the hub reads them: the jar's file, then config/application.properties, then the environment. */
    public static Properties settings(Map<String, String> overrides) throws IOException {
        Properties settings = new Properties();
        try (InputStream in = ApiKeyCommand.class.getResourceAsStream("/application.properties")) {
            if (in != null) {
                settings.load(in);
            }
        }
        Path operator = Path.of("config/application.properties");
        if (Files.isRegularFile(operator)) {
            try (InputStream in = Files.newInputStream(operator)) {
                settings.load(in);
            }
        }
        for (String name : settings.stringPropertyNames()) {
            String value = System.getenv(name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
            if (value != null) {
                settings.setProperty(name, value);
            }
        }
        overrides.forEach(settings::setProperty);
        return settings;
    }

    /** Runs the command; answers the process's exit code. */
    public static int run(String[] args, Properties settings, PrintStream out, PrintStream err) {
        if (args.length < 2 || !"keys".equals(args[0])) {
            err.println("usage: keys create --name <name> --roles <role,...> [--adjuster <roster id>] | keys revoke"
                    + " --name <name> | keys list");
            return 2;
        }
        String name = option(args, "--name");
        String url = settings.getProperty("hub.redis.url", "").trim();
        if (url.isEmpty()) {
            url = "redis://127.0.0.1:" + settings.getProperty("hub.redis.embedded.port", "6380").trim();
        }
        RedisConnectionSettings connection = RedisConnectionSettings.parse(url,
                settings.getProperty("hub.redis.sentinel.master", "").trim(),
                settings.getProperty("hub.redis.sentinel.nodes", "").trim(),
                Duration.ofMillis(Long.parseLong(settings.getProperty("hub.redis.timeout", "10000").trim())), 2);
        JedisConnectionFactory factory = RedisConnectionFactories.jedis(connection);
        try {
            ApiKeys keys = new ApiKeys(new StringRedisTemplate(factory),
                    new SecurityKeys(settings.getProperty("hub.security.namespace", "")), Clock.systemUTC(), 0);
            switch (args[1]) {
                case "create" -> {
                    String key = keys.create(name, Role.parseList(option(args, "--roles")), option(args, "--adjuster"));
                    out.println("API key '" + name + "' created; it is shown only now, only its hash is stored:");
                    out.println(key);
                }
                case "revoke" -> {
                    if (!keys.revoke(name)) {
                        err.println("no API key named '" + name + "'");
                        return 1;
                    }
                    out.println("API key '" + name + "' revoked");
                }
                case "list" -> keys.list().forEach(key -> out.println(key.name() + "\troles=" + key.caller().roleNames()
                        + (key.adjusterId() == null ? "" : "\tadjuster=" + key.adjusterId()) + "\tcreated="
                        + key.createdAt()));
                default -> {
                    err.println("unknown keys command '" + args[1] + "': create, revoke or list");
                    return 2;
                }
            }
            return 0;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println("cannot reach Redis at " + connection.describe() + " (start the hub first when it runs its"
                    + " embedded Redis, or set HUB_REDIS_URL): " + e.getClass().getSimpleName());
            return 1;
        } finally {
            factory.destroy();
        }
    }

    private static String option(String[] args, String name) {
        for (int i = 2; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return null;
    }
}
