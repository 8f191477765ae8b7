package io.github.mq4j.postgres.grants;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.SendReceiveDeleteContract;

/** {@link SendReceiveDeleteContract} as a role with only the runtime grants of docs/operations.md. */
class GrantedRoleSendReceiveDeleteTest extends SendReceiveDeleteContract {
    @Override
    protected BackendFixture fixture() {
        return GrantedRoleFixture.get();
    }
}
