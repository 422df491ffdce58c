package com.example.paymentsworker.messaging;

import com.example.paymentsworker.TestcontainersConfiguration;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.support.MessageBuilder;

/**
 * The consumer against real PostgreSQL and Kafka (see TestcontainersConfiguration for where
 * they come from): a message delivered twice has one effect, and a poison message ends in
 * the dead-letter topic with its id.
 */
@SpringBootTest(properties = {
        "app.retry.initial-interval-ms=100",
        "spring.kafka.properties.security.protocol=PLAINTEXT",
})
@Import(TestcontainersConfiguration.class)
class ConsumerIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    /** The producer's side owns payments-worker.events in production; here the test creates it. */
    @TestConfiguration(proxyBeanMethods = false)
    static class InputTopic {

        @Bean
        NewTopic inputTopic() {
            return TopicBuilder.name("payments-worker.events").build();
        }
    }

    @Autowired
    private KafkaTemplate<String, String> broker;

    @Autowired
    private ConsumerFactory<String, String> consumers;

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

        assertThat(deadLetteredIds(id)).as("the dead-letter topic holds " + id).contains(id);
        Integer rows = jdbc.queryForObject(
                "SELECT count(*) FROM processed_message WHERE message_id = ?", Integer.class, id);
        assertThat(rows).as("a dead-lettered message leaves no idempotency record").isZero();
    }

    private void send(String id, String payload) {
        broker.send(MessageBuilder.withPayload(payload)
                .setHeader(KafkaHeaders.TOPIC, "payments-worker.events")
                .setHeader("message-id", id)
                .build()).join();
    }

    /** Reads payments-worker.events.DLT from the start until `wanted` shows up (or time runs out). */
    private List<String> deadLetteredIds(String wanted) {
        Map<String, Object> reader = Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "dlt-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (Consumer<String, String> consumer = consumers.createConsumer(null, null, null, toProperties(reader))) {
            consumer.subscribe(List.of("payments-worker.events.DLT"));
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
