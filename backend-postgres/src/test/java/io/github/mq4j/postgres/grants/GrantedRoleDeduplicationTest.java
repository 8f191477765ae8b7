package io.github.mq4j.postgres.grants;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.DeduplicationContract;

/** {@link DeduplicationContract} as a role with only the runtime grants of docs/operations.md. */
class GrantedRoleDeduplicationTest extends DeduplicationContract {
    @Override
    protected BackendFixture fixture() {
        return GrantedRoleFixture.get();
    }
}
