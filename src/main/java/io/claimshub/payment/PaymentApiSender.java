package io.claimshub.payment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claimshub.event.EventJson;
import io.claimshub.store.RedisTemplates;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * API mode's send ledger ({@link PaymentKeys#ledger}): a payment is sent until the payment API has answered 2xx
 * (then {@code sent}) or refused it (then {@code refused}, and {@code claim.payment.failed}); it is never sent once
 * it is either. Every send carries the payment id as {@code Idempotency-Key}, so a send repeated because the hub
 * died between the API's answer and this record is the same payment to the partner, not a second one. While an
 * instance sends, it holds a lease on the claim, so a duplicate delivery on another instance waits for it.
 */
public final class PaymentApiSender {

    private static final Logger LOG = LoggerFactory.getLogger(PaymentApiSender.class);
    private static final int MAX_DETAIL = 300;

    private final StringRedisTemplate redis;
    private final PaymentKeys keys;
    private final PaymentInitiation initiation;
    private final Clock clock;
    private final Duration lease;
    private final String owner;
    // test seam: runs after the API answered 2xx and before the ledger records it (a crash injected there)
    private volatile Consumer<PaymentOrder> afterCall = order -> { };

    public PaymentApiSender(RedisConnectionFactory connectionFactory, PaymentKeys keys, PaymentInitiation initiation,
                            Clock clock, Duration lease, String owner) {
        this.redis = RedisTemplates.strings(connectionFactory);
        this.keys = keys;
        this.initiation = initiation;
        this.clock = clock;
        this.lease = lease;
        this.owner = owner;
    }

    /**
     * True when the payment is to be sent now (lease taken); false when it was sent or refused already.
     *
     * @throws PaymentSendException when another instance is sending it right now (retried later)
     */
    public boolean begin(PaymentOrder order) {
        String state = state(order);
        if (state.equals("sent") || state.equals("refused") || state.equals("completed")) {
            LOG.debug("{} is {} already; not sent again", order, state);
            return false;
        }
        Boolean taken = redis.opsForValue().setIfAbsent(keys.sendLease(order.claimId()), owner, lease);
        // held by this instance already: a retry after the open circuit refused the call
        if (!Boolean.TRUE.equals(taken) && !owner.equals(redis.opsForValue().get(keys.sendLease(order.claimId())))) {
            throw new PaymentSendException(order + " is being sent by another instance");
        }
        Long attempt = redis.opsForHash().increment(keys.ledger(order.claimId()), order.paymentId() + ":attempts", 1);
        redis.opsForHash().put(keys.ledger(order.claimId()), order.paymentId(), "sending|" + clock.millis());
        if (attempt != null && attempt > 1) {
            LOG.info("Sending {} again (attempt {}) under the same idempotency key", order, attempt);
        }
        return true;
    }

    /** The JSON the payment API receives. */
    public String requestBody(PaymentOrder order) {
        ObjectNode body = EventJson.mapper().createObjectNode();
        body.put("paymentId", order.paymentId());
        body.put("claimId", order.claimId());
        ObjectNode amount = body.putObject("amount");
        amount.put("amount", order.amount().amount());
        amount.put("currency", order.amount().currency());
        body.put("method", order.method());
        body.putObject("payee").put("name", order.payeeName());
        body.put("reference", order.claimId());
        if (order.policyNumber() != null) {
            body.put("policyNumber", order.policyNumber());
        }
        return EventJson.write(body);
    }

    /** The API's answer as success, a failure to retry (5xx, 408, 429) or a refusal ({@link PaymentSendException.Refused}). */
    public void checkResponse(Integer status, String body) {
        if (status == null) {
            throw new PaymentSendException("no HTTP status from the payment API");
        }
        if (status >= 200 && status < 300) {
            return;
        }
        String detail = "HTTP " + status + (body == null || body.isBlank() ? "" : ": " + firstLine(body));
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            throw new PaymentSendException.Refused("the payment API refused the payment: " + detail);
        }
        throw new PaymentSendException("the payment API failed: " + detail);
    }

    /** After a 2xx: the injected fault (tests), then the record. */
    public void sent(PaymentOrder order) {
        afterCall.accept(order);
        redis.opsForHash().put(keys.ledger(order.claimId()), order.paymentId(), "sent|" + clock.millis());
        releaseLease(order);
        LOG.info("Sent {} to the payment API", order);
    }

    /** The API refused the payment: recorded as {@code claim.payment.failed}, never sent again. */
    public void refused(PaymentOrder order, Exception refusal) {
        initiation.fail(order.paymentId(), refusal.getMessage());
        redis.opsForHash().put(keys.ledger(order.claimId()), order.paymentId(), "refused|" + clock.millis());
        releaseLease(order);
        LOG.warn("{} refused by the payment API; recorded as claim.payment.failed: {}", order, refusal.getMessage());
    }

    /** The send failed (timeout, 5xx, circuit open, crash injected): lease released, the failure thrown again for the retries. */
    public void released(PaymentOrder order, Exception failure) throws Exception {
        try {
            releaseLease(order);
        } catch (RuntimeException e) {
            LOG.debug("could not release the send lease of {}; it runs out", order, e);
        }
        throw failure;
    }

    /** The payment's state in the ledger ({@code sending}, {@code sent}, ...); empty when it was never sent. */
    public String state(PaymentOrder order) {
        Object value = redis.opsForHash().get(keys.ledger(order.claimId()), order.paymentId());
        return value == null ? "" : value.toString().split("\\|", 2)[0];
    }

    /** Tests: what runs after the API answered and before the ledger records it. */
    public void afterCall(Consumer<PaymentOrder> hook) {
        this.afterCall = hook == null ? order -> { } : hook;
    }

    private void releaseLease(PaymentOrder order) {
        String key = keys.sendLease(order.claimId());
        if (owner.equals(redis.opsForValue().get(key))) {
            redis.delete(key);
        }
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        return line.length() <= MAX_DETAIL ? line : line.substring(0, MAX_DETAIL);
    }
}
