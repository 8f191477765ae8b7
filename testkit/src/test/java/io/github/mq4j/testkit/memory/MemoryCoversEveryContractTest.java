package io.github.mq4j.testkit.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mq4j.testkit.Contracts;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory backend runs every contract of the suite: adding a contract without its memory test fails here. */
class MemoryCoversEveryContractTest {

    @Test
    void everyContract_hasAMemorySubclass() throws ClassNotFoundException {
        List<Class<?>> missing = new ArrayList<>();
        for (Class<?> contract : Contracts.all()) {
            String name = getClass().getPackageName() + ".Memory" + contract.getSimpleName().replace("Contract", "") + "Test";
            Class<?> test;
            try {
                test = Class.forName(name);
            } catch (ClassNotFoundException e) {
                missing.add(contract);
                continue;
            }
            assertThat(contract).as("superclass of %s", name).isAssignableFrom(test);
        }
        assertThat(missing).as("contracts without a memory test").isEmpty();
    }
}
