package {{ java_package }};

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
{%- if cache == "redis" %}
import org.testcontainers.containers.GenericContainer;
{%- endif %}
{%- if database == "postgresql" %}
import org.testcontainers.containers.PostgreSQLContainer;
{%- endif %}
import org.testcontainers.utility.DockerImageName;

/** Real dependencies for integration tests, wired in through @ServiceConnection. */
@TestConfiguration(proxyBeanMethods = false)
public class TestcontainersConfiguration {
{%- if database == "postgresql" %}

    @Bean
    @ServiceConnection
    PostgreSQLContainer<?> postgres() {
        return new PostgreSQLContainer<>(DockerImageName.parse("postgres:16.4-alpine"));
    }
{%- endif %}
{%- if cache == "redis" %}

    @Bean
    @ServiceConnection(name = "redis")
    GenericContainer<?> redis() {
        return new GenericContainer<>(DockerImageName.parse("redis:7.4-alpine")).withExposedPorts(6379);
    }
{%- endif %}
}
