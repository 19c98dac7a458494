package io.claimshub.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.claimshub.assignment.ProcessingFiles;
import io.claimshub.testsupport.TestHub;
import io.claimshub.testsupport.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * The Redis password in {@code hub.redis.url} reaches no log line, from Camel Main or the hub. Not repeated against
 * Redis 7 in CI: it runs on an embedded Redis of its own (with a password), whatever REDIS_URL says.
 */
class SecretsInLogTest {

    private static final String PASSWORD = "Pa55-word-only-in-the-url";

    @TempDir
    Path dir;

    @Test
    void theRedisPasswordIsInNoLogLineOfAHubStartAndStop() throws Exception {
        // given a Redis that requires a password, and every log line of the hub captured
        int port = TestRedis.freePort();
        RedisServer redis = RedisServer.newRedisServer().bind("127.0.0.1").port(port)
                .setting("requirepass " + PASSWORD).setting("save \"\"").setting("appendonly no").build();
        redis.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        // Camel at its shipped level (INFO: the start-up summary), the hub's own lines at every level
        Logger hubLogs = (Logger) LoggerFactory.getLogger("io.claimshub");
        Level shippedLevel = hubLogs.getLevel();
        hubLogs.setLevel(Level.TRACE);
        try {
            ProcessingFiles files = new ProcessingFiles(dir).writeRoster(List.of(
                    ProcessingFiles.adjuster("ADJ-01", "auto", "north", "SENIOR", 10)));
            // when the hub starts with the password in its URL, and stops
            try (TestHub hub = TestHub.start(Map.of(
                    "hub.redis.url", "redis://default:" + PASSWORD + "@127.0.0.1:" + port + "/0",
                    "hub.events.stream", TestRedis.uniqueKey("events"),
                    "hub.ingest.enabled", "false",
                    "hub.processing.roster-file", files.roster.toString(),
                    "hub.processing.rules-file", files.rules.toString(),
                    "hub.processing.sla-file", files.sla.toString()))) {
                assertThat(hub.context().isStarted()).isTrue();
            }
        } finally {
            root.detachAppender(captured);
            hubLogs.setLevel(shippedLevel);
            redis.stop();
        }

        // expect the start-up summary (at least) to have been captured, and the password in none of the lines
        assertThat(captured.list).isNotEmpty();
        assertThat(captured.list).allSatisfy(event -> assertThat(text(event)).doesNotContain(PASSWORD));
    }

    private static String text(ILoggingEvent event) {
        StringBuilder text = new StringBuilder(event.getFormattedMessage());
        for (IThrowableProxy thrown = event.getThrowableProxy(); thrown != null; thrown = thrown.getCause()) {
            text.append('\n').append(thrown.getMessage());
        }
        return text.toString();
    }
}
