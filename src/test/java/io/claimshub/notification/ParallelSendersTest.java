package io.claimshub.notification;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A channel sends on several threads ({@code hub.notifications.<channel>.senders}): while the SMS gateway holds the
 * claimant's text message, the adjuster's goes out beside it instead of waiting behind it; each is sent once.
 */
class ParallelSendersTest {

    @TempDir
    Path dir;

    private HttpServer gateway;
    private final CountDownLatch bothArrived = new CountDownLatch(2);
    private final AtomicInteger answered = new AtomicInteger();
    /** For each request, how many requests had been answered when it arrived. */
    private final List<Integer> answeredBeforeArrival = new CopyOnWriteArrayList<>();
    private final List<String> keys = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.stop(0);
        }
    }

    @Test
    void aSecondTextMessageGoesOutWhileTheGatewayHoldsTheFirst() throws Exception {
        startGateway();
        try (NotificationHub n = new NotificationHub(dir)) {
            n.with("hub.sms.gateway-url", "http://127.0.0.1:" + gateway.getAddress().getPort() + "/sms")
                    .with("hub.notifications.sms.timeout", "120000")
                    .with("hub.notifications.sms.senders", "2")
                    .start();

            // an urgent claim: a text to the claimant on submission and one to the adjuster on assignment
            n.submit("urgent", null);

            assertThat(bothArrived.await(90, TimeUnit.SECONDS))
                    .as("the adjuster's text message reached the gateway while the claimant's was still held").isTrue();
            assertThat(answeredBeforeArrival).startsWith(0, 0);
            assertThat(keys).hasSize(2).doesNotHaveDuplicates();
        }
    }

    /** An SMS gateway that answers no request until two are in flight at once (or 100 s have passed). */
    private void startGateway() throws IOException {
        gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.setExecutor(Executors.newCachedThreadPool());
        gateway.createContext("/sms", exchange -> {
            exchange.getRequestBody().readAllBytes();
            keys.add(String.valueOf(exchange.getRequestHeaders().getFirst("Idempotency-Key")));
            answeredBeforeArrival.add(answered.get());
            bothArrived.countDown();
            try {
                bothArrived.await(100, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] answer = "{\"status\":\"queued\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
            answered.incrementAndGet();
        });
        gateway.start();
    }
}
