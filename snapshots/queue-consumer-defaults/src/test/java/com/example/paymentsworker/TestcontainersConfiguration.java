package com.example.paymentsworker;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Real PostgreSQL and Kafka for the integration tests, started by Testcontainers
 * (Docker) and wired in through @ServiceConnection.
 *
 * <p>Where the services already run (CI service containers, shared test services), set
 * {@code TEST_SERVICES=external} and point Spring at them the usual way instead:
 * {@code SPRING_DATASOURCE_URL}, {@code SPRING_DATASOURCE_USERNAME}, {@code SPRING_DATASOURCE_PASSWORD},
 * {@code SPRING_KAFKA_BOOTSTRAP_SERVERS} (a PLAINTEXT listener). No container is
 * started then.
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
    @ServiceConnection
    KafkaContainer kafka() {
        return new KafkaContainer(DockerImageName.parse("apache/kafka:4.2.0"));
    }
}
