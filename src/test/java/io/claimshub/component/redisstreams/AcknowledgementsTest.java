package io.claimshub.component.redisstreams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

/**
 * The bookkeeping of the XACKs a group consumer owes, on a sender that records what would go to Redis.
 */
class AcknowledgementsTest {

    private final List<List<String>> acked = new CopyOnWriteArrayList<>();
    private final List<List<String>> errorsCleared = new CopyOnWriteArrayList<>();
    private boolean redisAway;
    private final Acknowledgements acks = new Acknowledgements(new Acknowledgements.Sender() {
        @Override
        public void ack(List<String> ids) {
            if (redisAway) {
                throw new IllegalStateException("connection refused");
            }
            acked.add(List.copyOf(ids));
        }

        @Override
        public void clearErrors(List<String> ids) {
            errorsCleared.add(List.copyOf(ids));
        }
    });

    @Test
    void whatIsOwedRidesWithTheNextReadAndIsNotOwedAgainOnceThatReadAnswered() {
        acks.completed("1-0", false);
        acks.completed("2-0", true);

        assertThat(acks.sendWithRead()).containsExactly("1-0", "2-0");
        assertThat(acks.isEmpty()).isTrue();
        acks.readSucceeded();

        assertThat(errorsCleared).containsExactly(List.of("2-0"));
        acks.flush();
        assertThat(acked).isEmpty();
        assertThat(acks.sendWithRead()).isEmpty();
    }

    @Test
    void theAcknowledgementsOfAFailedReadAreOwedAgainAndSentWithTheNextOne() {
        acks.completed("1-0", false);
        acks.sendWithRead();
        acks.completed("2-0", false);

        acks.readFailed();

        assertThat(acks.owed()).isEqualTo(2);
        assertThat(acks.sendWithRead()).containsExactlyInAnyOrder("1-0", "2-0");
    }

    @Test
    void aFailedFlushKeepsThemOwed() {
        acks.completed("1-0", false);
        redisAway = true;

        assertThatThrownBy(acks::flush).isInstanceOf(IllegalStateException.class);

        redisAway = false;
        acks.flush();
        assertThat(acked).containsExactly(List.of("1-0"));
        assertThat(acks.isEmpty()).isTrue();
    }

    @Test
    void onAQuietStreamWhatIsOwedIsSentAloneWhileTheReadInFlightWaits() throws Exception {
        CompletableFuture<List<StreamEntry>> quietRead = new CompletableFuture<>();
        acks.completed("1-0", true);
        CompletableFuture<List<StreamEntry>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return acks.awaitRead(quietRead);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        org.awaitility.Awaitility.await().until(() -> !acked.isEmpty());
        assertThat(acked).containsExactly(List.of("1-0"));
        assertThat(errorsCleared).containsExactly(List.of("1-0"));
        assertThat(waiting).isNotDone();

        quietRead.complete(List.of());
        assertThat(waiting.get()).isEmpty();
    }

    @Test
    void aReadThatAnswersAtOnceLeavesWhatIsOwedForTheReadAfterIt() throws Exception {
        acks.completed("1-0", false);

        assertThat(acks.awaitRead(CompletableFuture.completedFuture(List.<StreamEntry>of()))).isEmpty();

        assertThat(acked).isEmpty();
        assertThat(acks.sendWithRead()).containsExactly("1-0");
    }

    @Test
    void aReadThatAnsweredOnAConnectionAboutToCloseLeavesTheErrorsForALaterFlush() {
        acks.completed("1-0", true);
        acks.sendWithRead();

        acks.readAnswered();

        assertThat(errorsCleared).isEmpty();
        acks.flush();
        assertThat(acked).isEmpty();
        assertThat(errorsCleared).containsExactly(List.of("1-0"));
    }
}
