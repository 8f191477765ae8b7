package io.github.mq4j.postgres.grants;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.FifoOrderingContract;

/** {@link FifoOrderingContract} as a role with only the runtime grants of docs/operations.md. */
class GrantedRoleFifoOrderingTest extends FifoOrderingContract {
    @Override
    protected BackendFixture fixture() {
        return GrantedRoleFixture.get();
    }
}
