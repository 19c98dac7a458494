package io.claimshub.config;

import java.time.Duration;

import io.claimshub.ingest.ClaimFileIngester;
import io.claimshub.ingest.IngestInbox;
import io.claimshub.ingest.IngestedSubmissions;
import io.claimshub.store.ClaimCommands;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;

/**
 * The file ingress's beans (route {@code file-ingest}). Lazy: they need {@code claimCommands} from {@link HubBeans},
 * which may be configured after this class.
 */
public class FileIngestBeans implements CamelConfiguration {

    @PropertyInject("hub.ingest.remember-days")
    private int rememberDays;

    @PropertyInject("hub.ingest.chunk-lines")
    private int chunkLines;

    @PropertyInject("hub.ingest.quiet-period")
    private long quietPeriodMillis;

    // one size limit for every ingress: a file line may be as large as a REST body, no larger
    @PropertyInject("hub.api.max-body-bytes")
    private long maxBodyBytes;

    @BindToRegistry(value = "claimFileIngester", lazy = true)
    public ClaimFileIngester claimFileIngester(ClaimCommands claimCommands) {
        return new ClaimFileIngester(claimCommands,
                new IngestedSubmissions(Duration.ofDays(rememberDays)),
                (int) Math.min(maxBodyBytes, Integer.MAX_VALUE - 8), chunkLines);
    }

    @BindToRegistry(value = "ingestInbox", lazy = true)
    public IngestInbox ingestInbox(ClaimFileIngester claimFileIngester) {
        return new IngestInbox(claimFileIngester, Duration.ofMillis(quietPeriodMillis));
    }
}
