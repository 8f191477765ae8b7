package io.github.mq4j.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mq4j.testkit.Contracts;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SQS backend runs every contract of the suite: a contract without its SQS test fails here. */
class SqsCoversEveryContractTest {

    @Test
    void everyContract_hasAnSqsSubclass() {
        List<Class<?>> missing = new ArrayList<>();
        for (Class<?> contract : Contracts.all()) {
            String name = getClass().getPackageName() + ".Sqs" + contract.getSimpleName().replace("Contract", "") + "Test";
            try {
                assertThat(contract).as("superclass of %s", name).isAssignableFrom(Class.forName(name));
            } catch (ClassNotFoundException e) {
                missing.add(contract);
            }
        }
        assertThat(missing).as("contracts without an SQS test").isEmpty();
    }
}
