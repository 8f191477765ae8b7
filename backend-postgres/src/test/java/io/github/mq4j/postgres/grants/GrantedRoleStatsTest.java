package io.github.mq4j.postgres.grants;

import io.github.mq4j.testkit.BackendFixture;
import io.github.mq4j.testkit.StatsContract;

/** {@link StatsContract} as a role with only the runtime grants of docs/operations.md. */
class GrantedRoleStatsTest extends StatsContract {
    @Override
    protected BackendFixture fixture() {
        return GrantedRoleFixture.get();
    }
}
