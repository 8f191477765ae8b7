package io.github.mq4j.postgres;

import io.github.mq4j.QueueClient;
import io.github.mq4j.Topology;
import io.github.mq4j.testkit.reliability.FaultFixture;
import io.github.mq4j.testkit.reliability.NetworkFaultContract;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link NetworkFaultContract} on the PostgreSQL backend: the backend's own pool (default size and
 * timeouts) and its listener connection reach the test database through the fault proxy.
 */
class PostgresNetworkFaultTest extends NetworkFaultContract {
    private static final Fixture FIXTURE = new Fixture();

    @Override
    protected FaultFixture fixture() {
        return FIXTURE;
    }

    /** A schema per client; a schema is dropped when the next client opens (the test has closed the client by then). */
    private static final class Fixture implements FaultFixture {
        private final List<String> schemas = new ArrayList<>();

        Fixture() {
            Runtime.getRuntime().addShutdownHook(new Thread(this::dropAll, "postgres-fault-fixture-cleanup"));
        }

        @Override
        public InetSocketAddress server() {
            return TestDatabase.address();
        }

        @Override
        public synchronized QueueClient open(Topology topology, InetSocketAddress through) {
            dropAll();
            String schema = TestDatabase.newSchema("faults");
            schemas.add(schema);
            return TestDatabase.openThrough(topology, schema, through);
        }

        private synchronized void dropAll() {
            for (String schema : schemas) {
                try {
                    TestDatabase.dropSchema(schema);
                } catch (RuntimeException e) {
                    // at exit the embedded server may be stopping already; it takes the schema with it
                }
            }
            schemas.clear();
        }
    }
}
