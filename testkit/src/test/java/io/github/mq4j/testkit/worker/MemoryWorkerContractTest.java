package io.github.mq4j.testkit.worker;

import io.github.mq4j.QueueClient;
import io.github.mq4j.QueueFactory;
import io.github.mq4j.Topology;

/** The worker contract on the in-memory backend, in real time. */
class MemoryWorkerContractTest extends WorkerContract {
    @Override
    protected QueueClient openClient(Topology topology) {
        return QueueFactory.builder().type("memory").topology(topology).build();
    }
}
