package {{ java_package }}.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
{%- if broker == "rabbitmq" %}
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
{%- endif %}
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.jdbc.core.JdbcTemplate;
{%- if broker == "kafka" %}
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
{%- endif %}
import org.testcontainers.containers.PostgreSQLContainer;
{%- if broker == "rabbitmq" %}
import org.testcontainers.containers.RabbitMQContainer;
{%- endif %}
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
{%- if broker == "kafka" %}
import org.testcontainers.kafka.KafkaContainer;
{%- endif %}

/**
 * The consumer against real PostgreSQL and {% if broker == "kafka" %}Kafka{% else %}RabbitMQ{% endif %} (Testcontainers): a message
 * delivered twice is handled once, and an invalid one ends up dead-lettered.
 */
@Testcontainers
@SpringBootTest(properties = {"app.retry.initial-interval-ms=100"{% if broker == "rabbitmq" %}, "spring.rabbitmq.listener.simple.retry.initial-interval=100ms"{% endif %}})
class ConsumerIT {

    @Container
    @ServiceConnection
    static PostgreSQLContainer<?> postgres = new PostgreSQLContainer<>("postgres:16.4-alpine");
{% if broker == "kafka" %}
    @Container
    static KafkaContainer kafka = new KafkaContainer("apache/kafka:3.8.1");

    @DynamicPropertySource
    static void kafkaProperties(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", kafka::getBootstrapServers);
        registry.add("spring.kafka.properties.security.protocol", () -> "PLAINTEXT");
    }

    @Autowired
    private KafkaTemplate<String, String> broker;
{%- else %}
    @Container
    @ServiceConnection
    static RabbitMQContainer rabbit = new RabbitMQContainer("rabbitmq:3.13-management-alpine");

    @Autowired
    private RabbitTemplate broker;
{%- endif %}

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private MeterRegistry meters;

    @Test
    void aRedeliveredMessageIsHandledOnce() {
        send("order-1", "{\"order\": 1}");
        send("order-1", "{\"order\": 1}");

        awaitTrue(() -> meters.counter("consumer.messages.duplicate").count() == 1);
        Integer rows = jdbc.queryForObject(
                "SELECT count(*) FROM processed_message WHERE message_id = 'order-1'", Integer.class);
        assertThat(rows).isEqualTo(1);
    }

    @Test
    void anInvalidMessageIsDeadLettered() {
        send("empty-1", " ");

        awaitTrue(() -> meters.counter("consumer.messages.dead_lettered").count() >= 1);
    }

    private void send(String id, String payload) {
{%- if broker == "kafka" %}
        broker.send(MessageBuilder.withPayload(payload)
                .setHeader(KafkaHeaders.TOPIC, "{{ topic }}")
                .setHeader("message-id", id)
                .build());
{%- else %}
        Message message = MessageBuilder.withBody(payload.getBytes()).setMessageId(id).build();
        broker.send("", "{{ queue }}", message);
{%- endif %}
    }

    private static void awaitTrue(BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("condition within 60 s").isBefore(deadline);
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
