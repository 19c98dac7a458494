package io.claimshub.component.redisstreams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimshub.testsupport.TestRedis;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("redis")
class StreamOperationsTest {

    private final StreamFixture redis = StreamFixture.onTestRedis();
    private final String stream = TestRedis.uniqueKey("ops");
    private final StreamOperations operations = new StreamOperations(TestRedis.connectionFactory());

    @AfterEach
    void close() {
        operations.close();
        redis.delete(stream);
    }

    @Test
    void readGroupAfterAckAcknowledgesTheCompletedEntriesAndReadsTheNextOnes() {
        // given a group with two entries delivered (pending) and two not yet read
        redis.createGroup(stream, "g");
        redis.add(stream, 2, Map.of());
        List<String> delivered = redis.readWithoutAck(stream, "g", "c", 2);
        List<String> next = redis.add(stream, 2, Map.of());

        // when the two delivered ones are acknowledged with the next read, in one call
        List<StreamEntry> read = operations.readGroupAfterAck(stream, "g", "c", 10, 1, ">", delivered);

        // expect the new entries read, and only they pending
        assertThat(read).extracting(StreamEntry::id).containsExactlyElementsOf(next);
        assertThat(redis.pendingIds(stream, "g")).containsExactlyElementsOf(next);
    }

    @Test
    void readGroupAfterAckWithNothingToAcknowledgeIsAPlainRead() {
        redis.createGroup(stream, "g");
        List<String> ids = redis.add(stream, 3, Map.of());

        assertThat(operations.readGroupAfterAck(stream, "g", "c", 10, 1, ">", List.of()))
                .extracting(StreamEntry::id).containsExactlyElementsOf(ids);
    }

    @Test
    void aLostGroupIsReportedAsSuchFromThePipelinedRead() {
        // given acks to send for a group that was deleted meanwhile
        redis.createGroup(stream, "g");
        redis.add(stream, 1, Map.of());
        List<String> delivered = redis.readWithoutAck(stream, "g", "c", 1);
        redis.template().opsForStream().destroyGroup(stream, "g");

        // expect the read's NOGROUP recognised through the pipeline's exception, as the consumer needs it
        assertThatThrownBy(() -> operations.readGroupAfterAck(stream, "g", "c", 10, 1, ">", delivered))
                .satisfies(e -> assertThat(RedisErrors.isNoGroup(e)).isTrue());
    }
}
