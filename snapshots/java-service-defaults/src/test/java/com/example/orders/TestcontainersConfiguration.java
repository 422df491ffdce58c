package com.example.orders;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Real dependencies for the integration tests, started by Testcontainers (Docker) and
 * wired in through @ServiceConnection.
 *
 * <p>Where the services already run (CI service containers, a shared test database), set
 * {@code TEST_SERVICES=external} and point Spring at them the usual way instead:
 * {@code SPRING_DATASOURCE_URL}, {@code SPRING_DATASOURCE_USERNAME}, {@code SPRING_DATASOURCE_PASSWORD},
 * {@code SPRING_DATA_REDIS_HOST}, {@code SPRING_DATA_REDIS_PORT}. No container is started then.
 */
@TestConfiguration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "test.services", havingValue = "containers", matchIfMissing = true)
public class TestcontainersConfiguration {

    @Bean
    @ServiceConnection
    PostgreSQLContainer postgres() {
        return new PostgreSQLContainer(DockerImageName.parse("postgres:16-alpine"));
    }

    @Bean
    @ServiceConnection(name = "redis")
    GenericContainer<?> redis() {
        return new GenericContainer<>(DockerImageName.parse("redis:7.4-alpine")).withExposedPorts(6379);
    }
}
