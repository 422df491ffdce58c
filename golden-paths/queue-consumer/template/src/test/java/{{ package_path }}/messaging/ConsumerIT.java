package {{ java_package }}.messaging;

import {{ java_package }}.TestcontainersConfiguration;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
{%- if broker == "rabbitmq" %}
import java.util.ArrayList;
{%- endif %}
import java.util.List;
{%- if broker == "kafka" %}
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
{%- endif %}
import java.util.UUID;
import java.util.function.BooleanSupplier;
{%- if broker == "kafka" %}
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
{%- endif %}
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
{%- if broker == "rabbitmq" %}
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
{%- endif %}
import org.springframework.boot.test.context.SpringBootTest;
{%- if broker == "kafka" %}
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
{%- endif %}
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
{%- if broker == "kafka" %}
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.support.MessageBuilder;
{%- endif %}

/**
 * The consumer against real PostgreSQL and {% if broker == "kafka" %}Kafka{% else %}RabbitMQ{% endif %} (see TestcontainersConfiguration for where
 * they come from): a message delivered twice has one effect, and a poison message ends in
 * the dead-letter {% if broker == "kafka" %}topic{% else %}queue{% endif %} with its id.
 */
@SpringBootTest(properties = {
        "app.retry.initial-interval-ms=100",
{%- if broker == "kafka" %}
        "spring.kafka.properties.security.protocol=PLAINTEXT",
{%- else %}
        "spring.rabbitmq.listener.simple.retry.initial-interval=100ms",
{%- endif %}
})
@Import(TestcontainersConfiguration.class)
class ConsumerIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
{%- if broker == "kafka" %}

    /** The producer's side owns {{ topic }} in production; here the test creates it. */
    @TestConfiguration(proxyBeanMethods = false)
    static class InputTopic {

        @Bean
        NewTopic inputTopic() {
            return TopicBuilder.name("{{ topic }}").build();
        }
    }

    @Autowired
    private KafkaTemplate<String, String> broker;

    @Autowired
    private ConsumerFactory<String, String> consumers;
{%- else %}

    @Autowired
    private RabbitTemplate broker;
{%- endif %}

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private MeterRegistry meters;

    @Test
    void aMessageDeliveredTwiceHasOneEffect() {
        String id = "order-" + UUID.randomUUID();
        double duplicatesBefore = meters.counter("consumer.messages.duplicate").count();

        send(id, "{\"order\": 1}");
        send(id, "{\"order\": 1}");

        awaitTrue(() -> meters.counter("consumer.messages.duplicate").count() == duplicatesBefore + 1);
        Integer rows = jdbc.queryForObject(
                "SELECT count(*) FROM processed_message WHERE message_id = ?", Integer.class, id);
        assertThat(rows).isEqualTo(1);
    }

    @Test
    void aPoisonMessageIsDeadLetteredWithItsId() {
        String id = "poison-" + UUID.randomUUID();

        send(id, " ");

        assertThat(deadLetteredIds(id)).as("the dead-letter {% if broker == "kafka" %}topic{% else %}queue{% endif %} holds " + id).contains(id);
        Integer rows = jdbc.queryForObject(
                "SELECT count(*) FROM processed_message WHERE message_id = ?", Integer.class, id);
        assertThat(rows).as("a dead-lettered message leaves no idempotency record").isZero();
    }

    private void send(String id, String payload) {
{%- if broker == "kafka" %}
        broker.send(MessageBuilder.withPayload(payload)
                .setHeader(KafkaHeaders.TOPIC, "{{ topic }}")
                .setHeader("message-id", id)
                .build()).join();
{%- else %}
        Message message = MessageBuilder.withBody(payload.getBytes(StandardCharsets.UTF_8)).setMessageId(id).build();
        broker.send("", "{{ queue }}", message);
{%- endif %}
    }
{%- if broker == "kafka" %}

    /** Reads {{ topic }}.DLT from the start until `wanted` shows up (or time runs out). */
    private List<String> deadLetteredIds(String wanted) {
        Map<String, Object> reader = Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "dlt-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (Consumer<String, String> consumer = consumers.createConsumer(null, null, null, toProperties(reader))) {
            consumer.subscribe(List.of("{{ topic }}.DLT"));
            Instant deadline = Instant.now().plus(PATIENCE);
            while (Instant.now().isBefore(deadline)) {
                List<String> ids = StreamSupport.stream(consumer.poll(Duration.ofMillis(500)).spliterator(), false)
                        .map(ConsumerIT::messageId)
                        .flatMap(Optional::stream)
                        .toList();
                if (ids.contains(wanted)) {
                    return ids;
                }
            }
            return List.of();
        }
    }

    private static Optional<String> messageId(ConsumerRecord<String, String> record) {
        Header header = record.headers().lastHeader("message-id");
        return Optional.ofNullable(header).map(h -> new String(h.value(), StandardCharsets.UTF_8));
    }

    private static Properties toProperties(Map<String, Object> map) {
        Properties properties = new Properties();
        properties.putAll(map);
        return properties;
    }
{%- else %}

    /** Takes messages off {{ queue }}.dlq until `wanted` shows up (or time runs out). */
    private List<String> deadLetteredIds(String wanted) {
        List<String> ids = new ArrayList<>();
        Instant deadline = Instant.now().plus(PATIENCE);
        while (Instant.now().isBefore(deadline) && !ids.contains(wanted)) {
            Message message = broker.receive("{{ queue }}.dlq", 500);
            if (message != null) {
                ids.add(message.getMessageProperties().getMessageId());
            }
        }
        return ids;
    }
{%- endif %}

    private static void awaitTrue(BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("condition within " + PATIENCE).isBefore(deadline);
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
