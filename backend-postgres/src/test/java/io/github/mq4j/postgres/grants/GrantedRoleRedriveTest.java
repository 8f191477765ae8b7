package io.github.mq4j.postgres.grants;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.RedriveContract;

/** {@link RedriveContract} as a role with only the runtime grants of docs/operations.md. */
class GrantedRoleRedriveTest extends RedriveContract {
    @Override
    protected BackendFixture fixture() {
        return GrantedRoleFixture.get();
    }
}
