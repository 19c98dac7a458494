package io.claimshub.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimshub.testsupport.TestHub;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Vert.x instance the HTTP servers run on lives exactly as long as the hub. */
class HttpServerVertxTest {

    @Test
    void whenTheHubHasStoppedItsHttpServersVertxHasClosed() throws Exception {
        // given a running hub and the Vert.x its HTTP servers run on
        TestHub hub = TestHub.start(Map.of("hub.ingest.enabled", "false"));
        Vertx vertx = hub.context().getRegistry().lookupByNameAndType("vertx", Vertx.class);
        CompletableFuture<Thread> eventLoop = new CompletableFuture<>();
        vertx.runOnContext(nothing -> eventLoop.complete(Thread.currentThread()));
        Thread thread = eventLoop.get(10, TimeUnit.SECONDS);

        // when the hub stops
        hub.close();

        // expect its threads gone by then: the close awaited, not merely begun
        assertThat(thread.isAlive()).isFalse();
    }
}
