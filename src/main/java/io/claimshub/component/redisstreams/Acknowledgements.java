package io.claimshub.component.redisstreams;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The XACKs one group consumer owes: the ids of entries whose exchange completed, sent with the next XREADGROUP in
 * one pipeline or on their own, and sent again when the read they went with failed. Never holds an entry whose
 * exchange has not completed. Not thread-safe: one fetch thread owns it.
 */
final class Acknowledgements {

    /** Where the acknowledgements and the clean-up of the last errors of retried entries go. */
    interface Sender {
        void ack(List<String> ids);

        void clearErrors(List<String> ids);
    }

    private static final Logger LOG = LoggerFactory.getLogger(Acknowledgements.class);
    // how long a batch's acknowledgements wait for the next read to go with before they are sent on their own
    static final long RIDE_WAIT_MILLIS = 5;

    private final Sender sender;
    private final List<String> completed = new ArrayList<>();
    // completed entries that had failed before: their last error is removed once they are acknowledged
    private final Set<String> completedAfterRetry = new LinkedHashSet<>();
    // sent with the read in flight; applied or not, nobody knows until that read answers
    private List<String> withRead = List.of();

    Acknowledgements(Sender sender) {
        this.sender = sender;
    }

    /** The entry's exchange completed (or there is nothing left to process): it is owed an XACK. */
    void completed(String id, boolean retried) {
        completed.add(id);
        if (retried) {
            completedAfterRetry.add(id);
        }
    }

    boolean isEmpty() {
        return completed.isEmpty();
    }

    int owed() {
        return completed.size();
    }

    /** Hands the owed ids to a read that sends them first in its pipeline; one read at a time carries them. */
    List<String> sendWithRead() {
        if (completed.isEmpty()) {
            return List.of();
        }
        withRead = List.copyOf(completed);
        completed.clear();
        return withRead;
    }

    /** The read they went with answered, so they were applied: the last errors of the retried ones among them go. */
    void readSucceeded() {
        if (completedAfterRetry.isEmpty()) {
            withRead = List.of();
            return;
        }
        List<String> retried = new ArrayList<>();
        for (String id : withRead) {
            if (completedAfterRetry.remove(id)) {
                retried.add(id);
            }
        }
        withRead = List.of();
        if (!retried.isEmpty()) {
            sender.clearErrors(retried);
        }
    }

    /** The read they went with answered, but no command may follow on this connection: the errors go with a later flush. */
    void readAnswered() {
        withRead = List.of();
    }

    /** The read they went with failed: they may not have been applied, so they are owed again. */
    void readFailed() {
        completed.addAll(withRead);
        withRead = List.of();
    }

    /** Sends the owed acknowledgements on their own; on failure they stay owed. */
    void flush() {
        if (!completed.isEmpty()) {
            sender.ack(completed);
            completed.clear();
        }
        if (!completedAfterRetry.isEmpty()) {
            sender.clearErrors(List.copyOf(completedAfterRetry));
            completedAfterRetry.clear();
        }
    }

    /**
     * Waits for a read already in flight. Under load its entries come within moments and what is owed rides with the
     * read after them; on a quiet stream what is owed is sent on its own after {@link #RIDE_WAIT_MILLIS} rather than
     * held until entries come.
     */
    <T> T awaitRead(Future<T> read) throws InterruptedException, ExecutionException {
        if (completed.isEmpty() || read.isDone()) {
            return read.get();
        }
        try {
            return read.get(RIDE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException quiet) {
            try {
                flush();
            } catch (RuntimeException e) {
                // they stay owed and go with a later read; the read in flight is still waited for
                LOG.debug("Could not acknowledge on their own: {}", e.getMessage());
            }
            return read.get();
        }
    }
}
