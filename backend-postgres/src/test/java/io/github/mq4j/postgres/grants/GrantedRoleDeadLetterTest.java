package io.github.mq4j.postgres.grants;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.DeadLetterContract;

/** {@link DeadLetterContract} as a role with only the runtime grants of docs/operations.md. */
class GrantedRoleDeadLetterTest extends DeadLetterContract {
    @Override
    protected BackendFixture fixture() {
        return GrantedRoleFixture.get();
    }
}
