package io.github.mq4j.postgres.grants;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.RetentionContract;

/** {@link RetentionContract} as a role with only the runtime grants of docs/operations.md. */
class GrantedRoleRetentionTest extends RetentionContract {
    @Override
    protected BackendFixture fixture() {
        return GrantedRoleFixture.get();
    }
}
