package com.example.mailer.messaging;

import com.example.mailer.TestcontainersConfiguration;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The consumer against real PostgreSQL and RabbitMQ (see TestcontainersConfiguration for where
 * they come from): a message delivered twice has one effect, and a poison message ends in
 * the dead-letter queue with its id.
 */
@SpringBootTest(properties = {
        "app.retry.initial-interval-ms=100",
        "spring.rabbitmq.listener.simple.retry.initial-interval=100ms",
})
@Import(TestcontainersConfiguration.class)
class ConsumerIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Autowired
    private RabbitTemplate broker;

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

        assertThat(deadLetteredIds(id)).as("the dead-letter queue holds " + id).contains(id);
        Integer rows = jdbc.queryForObject(
                "SELECT count(*) FROM processed_message WHERE message_id = ?", Integer.class, id);
        assertThat(rows).as("a dead-lettered message leaves no idempotency record").isZero();
    }

    private void send(String id, String payload) {
        Message message = MessageBuilder.withBody(payload.getBytes(StandardCharsets.UTF_8)).setMessageId(id).build();
        broker.send("", "mailer.events", message);
    }

    /** Takes messages off mailer.events.dlq until `wanted` shows up (or time runs out). */
    private List<String> deadLetteredIds(String wanted) {
        List<String> ids = new ArrayList<>();
        Instant deadline = Instant.now().plus(PATIENCE);
        while (Instant.now().isBefore(deadline) && !ids.contains(wanted)) {
            Message message = broker.receive("mailer.events.dlq", 500);
            if (message != null) {
                ids.add(message.getMessageProperties().getMessageId());
            }
        }
        return ids;
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
