package io.claimshub.ops;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failed runs of the routes run on a schedule (the SLA check): the next tick runs them again, so a failure is only
 * logged, once per route and cause a minute with a count of the others, its stack trace at DEBUG.
 */
public final class RecurringTaskFailures {

    private static final Logger LOG = LoggerFactory.getLogger(RecurringTaskFailures.class);
    private static final FailureLog FAILURES = new FailureLog(LOG, Duration.ofMinutes(1));

    public void failed(String routeId, Throwable error) {
        FAILURES.record("Route " + routeId + " failed: " + FailureLog.rootCause(error).getClass().getSimpleName(),
                "it runs again at its next tick", error);
    }
}
