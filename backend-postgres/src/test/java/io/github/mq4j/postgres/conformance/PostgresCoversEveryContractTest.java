package io.github.mq4j.postgres.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mq4j.testkit.Contracts;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The PostgreSQL backend runs every contract of the suite: a new contract without its postgres test fails here. */
class PostgresCoversEveryContractTest {

    @Test
    void everyContract_hasAPostgresSubclass() {
        List<Class<?>> missing = new ArrayList<>();
        for (Class<?> contract : Contracts.all()) {
            String name = getClass().getPackageName() + ".Postgres" + contract.getSimpleName().replace("Contract", "") + "Test";
            try {
                assertThat(contract).as("superclass of %s", name).isAssignableFrom(Class.forName(name));
            } catch (ClassNotFoundException e) {
                missing.add(contract);
            }
        }
        assertThat(missing).as("contracts without a postgres test").isEmpty();
    }
}
