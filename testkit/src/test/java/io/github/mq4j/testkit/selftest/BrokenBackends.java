package io.github.mq4j.testkit.selftest;

import io.github.mq4j.BatchResult;
import io.github.mq4j.MessageQueue;
import io.github.mq4j.OutgoingMessage;
import io.github.mq4j.QueueStats;
import io.github.mq4j.ReceiveRequest;
import io.github.mq4j.ReceivedMessage;
import io.github.mq4j.SendResult;
import io.github.mq4j.StaleReceiptException;
import io.github.mq4j.ValidationException;
import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.BatchContract;
import io.github.mq4j.testkit.ClosedClientContract;
import io.github.mq4j.testkit.ConcurrencyContract;
import io.github.mq4j.testkit.DeadLetterContract;
import io.github.mq4j.testkit.DeduplicationContract;
import io.github.mq4j.testkit.FifoOrderingContract;
import io.github.mq4j.testkit.ForwardingMessageQueue;
import io.github.mq4j.testkit.HostileInputContract;
import io.github.mq4j.testkit.SendReceiveDeleteContract;
import io.github.mq4j.testkit.StatsContract;
import io.github.mq4j.testkit.VisibilityAndReceiptsContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Contract classes run on deliberately broken backends, each breaking one rule on top of the
 * in-memory backend. {@link SuiteCatchesBrokenBackendsTest} runs them and checks that the tests of
 * the broken rule fail. Not run on their own (surefire skips nested classes).
 */
final class BrokenBackends {
    private BrokenBackends() {}

    /** A short deadline, so that a test waiting for something the broken backend never does fails fast. */
    private static final Duration SHORT_DEADLINE = Duration.ofSeconds(1);

    /** {@code queue} with each received message passed through {@code change}. */
    private static MessageQueue rewritingReceives(MessageQueue queue, UnaryOperator<ReceivedMessage> change) {
        return new ForwardingMessageQueue(queue) {
            @Override
            public List<ReceivedMessage> receive(ReceiveRequest r) {
                List<ReceivedMessage> out = new ArrayList<>();
                for (ReceivedMessage m : delegate.receive(r)) {
                    out.add(change.apply(m));
                }
                return out;
            }
        };
    }

    /** {@code m} with another body, attributes and group id. */
    private static ReceivedMessage copy(ReceivedMessage m, String body, Map<String, String> attributes, @Nullable String groupId) {
        return new ReceivedMessage(m.queue(), m.messageId(), m.receipt(), body, attributes, groupId, m.deduplicationId(),
                m.sequenceNumber(), m.receiveCount(), m.sentAt(), m.firstReceivedAt(), m.deadLetterSource());
    }

    /** Receives ignore the request's visibility timeout and use the queue's. */
    static class IgnoresRequestVisibility extends VisibilityAndReceiptsContract {
        @Override
        protected BackendFixture fixture() {
            return new BrokenFixture(q -> new ForwardingMessageQueue(q) {
                @Override
                public List<ReceivedMessage> receive(ReceiveRequest r) {
                    return delegate.receive(new ReceiveRequest(r.maxMessages(), r.waitTime(), null));
                }
            });
        }

        @Override
        protected Duration deadline() {
            return SHORT_DEADLINE;
        }
    }

    /** changeVisibility with a stale receipt succeeds silently. */
    static class SwallowsStaleReceipts extends VisibilityAndReceiptsContract {
        @Override
        protected BackendFixture fixture() {
            return new BrokenFixture(q -> new ForwardingMessageQueue(q) {
                @Override
                public void changeVisibility(String receipt, Duration timeout) {
                    try {
                        delegate.changeVisibility(receipt, timeout);
                    } catch (StaleReceiptException ignored) {
                        // the bug under test
                    }
                }
            });
        }

        @Override
        protected Duration deadline() {
            return SHORT_DEADLINE;
        }
    }

    /** delete does nothing. */
    static class IgnoresDeletes extends SendReceiveDeleteContract {
        @Override
        protected BackendFixture fixture() {
            return new BrokenFixture(q -> new ForwardingMessageQueue(q) {
                @Override
                public void delete(String receipt) {
                    // the bug under test
                }
            });
        }

        @Override
        protected Duration deadline() {
            return SHORT_DEADLINE;
        }
    }

    /** Each receive returns its messages in reverse order. */
    static class ReversesEachReceive extends FifoOrderingContract {
        @Override
        protected BackendFixture fixture() {
            return new BrokenFixture(q -> new ForwardingMessageQueue(q) {
                @Override
                public List<ReceivedMessage> receive(ReceiveRequest r) {
                    List<ReceivedMessage> received = new ArrayList<>(delegate.receive(r));
                    Collections.reverse(received);
                    return received;
                }
            });
        }

        @Override
        protected Duration deadline() {
            return SHORT_DEADLINE;
        }
    }

    /** Every FIFO send gets a fresh deduplication id, so nothing is ever deduplicated. */
    static class NeverDeduplicates extends DeduplicationContract {
        @Override
        protected BackendFixture fixture() {
            return new BrokenFixture(q -> new ForwardingMessageQueue(q) {
                @Override
                public SendResult send(OutgoingMessage m) {
                    return delegate.send(q.spec().fifo() ? m.toBuilder().deduplicationId(UUID.randomUUID().toString()).build() : m);
                }
            });
        }

        @Override
        protected Duration deadline() {
            return SHORT_DEADLINE;
        }
    }

    /** Messages received from a dead-letter queue have lost their attributes. */
    static class DeadLettersLoseAttributes extends DeadLetterContract {
        @Override
        protected BackendFixture fixture() {
            return new BrokenFixture(q -> rewritingReceives(q,
                    m -> m.deadLetterSource() == null ? m : copy(m, m.body(), Map.of(), m.groupId())));
        }

        @Override
        protected Duration deadline() {
            return SHORT_DEADLINE;
        }
    }

    /** A batch send reports every entry after the first failed one as failed too. */
    static class FailsRestOfBatch extends BatchContract {
        @Override
        protected BackendFixture fixture() {
            return new BrokenFixture(q -> new ForwardingMessageQueue(q) {
                @Override
                public BatchResult<SendResult> sendBatch(List<OutgoingMessage> messages) {
                    BatchResult<SendResult> real = delegate.sendBatch(messages);
                    List<BatchResult.Entry<SendResult>> entries = new ArrayList<>();
                    RuntimeException firstError = null;
                    for (BatchResult.Entry<SendResult> e : real.entries()) {
                        if (e instanceof BatchResult.Failure<SendResult> f && firstError == null) {
                            firstError = f.error();
                        }
                        entries.add(firstError == null ? e : new BatchResult.Failure<>(e.index(), firstError));
                    }
                    return new BatchResult<>(entries);
                }
            });
        }

        @Override
        protected Duration deadline() {
            return SHORT_DEADLINE;
        }
    }

    /** Stats always report an empty queue. */
    static class ReportsNoStats extends StatsContract {
        @Override
        protected BackendFixture fixture() {
            return new BrokenFixture(q -> new ForwardingMessageQueue(q) {
                @Override
                public QueueStats stats() {
                    return new QueueStats(q.name(), 0, 0, 0, null);
                }
            });
        }

        @Override
        protected Duration deadline() {
            return SHORT_DEADLINE;
        }
    }

    /** Closing the client the first time does nothing. */
    static class IgnoresClose extends ClosedClientContract {
        @Override
        protected BackendFixture fixture() {
            return new BrokenFixture(q -> q, true);
        }
    }

    /** Every receive returns its first message twice. */
    static class DeliversTwice extends ConcurrencyContract {
        @Override
        protected BackendFixture fixture() {
            return new BrokenFixture(q -> new ForwardingMessageQueue(q) {
                @Override
                public List<ReceivedMessage> receive(ReceiveRequest r) {
                    List<ReceivedMessage> received = new ArrayList<>(delegate.receive(r));
                    if (!received.isEmpty()) {
                        received.add(received.get(0));
                    }
                    return received;
                }
            });
        }

        @Override
        protected Duration deadline() {
            return SHORT_DEADLINE;
        }
    }

    /** Received bodies have each CR LF turned into LF, as an XML parser would. */
    static class NormalizesLineEnds extends HostileInputContract {
        @Override
        protected BackendFixture fixture() {
            return new BrokenFixture(q -> rewritingReceives(q,
                    m -> copy(m, m.body().replace("\r\n", "\n"), m.attributes(), m.groupId())));
        }

        @Override
        protected Duration deadline() {
            return SHORT_DEADLINE;
        }
    }

    /** Received group ids have each quote doubled, as a naive SQL escape left in place would. */
    static class DoublesQuotesInGroupIds extends HostileInputContract {
        @Override
        protected BackendFixture fixture() {
            return new BrokenFixture(q -> rewritingReceives(q,
                    m -> copy(m, m.body(), m.attributes(), m.groupId() == null ? null : m.groupId().replace("'", "''"))));
        }

        @Override
        protected Duration deadline() {
            return SHORT_DEADLINE;
        }
    }

    /** A delete with a receipt the backend does not know deletes the message received last instead. */
    static class DeletesLastReceivedForUnknownReceipts extends HostileInputContract {
        @Override
        protected BackendFixture fixture() {
            return new BrokenFixture(q -> new ForwardingMessageQueue(q) {
                private String last = "";

                @Override
                public List<ReceivedMessage> receive(ReceiveRequest r) {
                    List<ReceivedMessage> got = delegate.receive(r);
                    if (!got.isEmpty()) {
                        last = got.get(got.size() - 1).receipt();
                    }
                    return got;
                }

                @Override
                public void delete(String receipt) {
                    try {
                        delegate.delete(receipt);
                    } catch (ValidationException e) {
                        delegate.delete(last); // the bug under test
                    }
                }
            });
        }

        @Override
        protected Duration deadline() {
            return SHORT_DEADLINE;
        }
    }
}
