package com.example.mailer.messaging;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

/**
 * Reads mailer.events. The idempotency key is the AMQP message-id: publishers must set it.
 * A message without one cannot be recognised when redelivered, so it is handled as new
 * every time (at least once) and logged; two messages are never merged because their
 * bodies are equal.
 */
@Component
public class RabbitConsumer {

    private static final Logger log = LoggerFactory.getLogger(RabbitConsumer.class);

    private final EventHandler handler;
    private final ConsumerMetrics metrics;

    public RabbitConsumer(EventHandler handler, ConsumerMetrics metrics) {
        this.handler = handler;
        this.metrics = metrics;
    }

    @RabbitListener(queues = "${app.queue}")
    public void onMessage(Message message) {
        String id = message.getMessageProperties().getMessageId();
        if (id == null) {
            id = "no-message-id-" + UUID.randomUUID();
            log.warn("message without a message-id on {}: handled without a duplicate check ({})",
                    message.getMessageProperties().getConsumerQueue(), id);
        }
        try {
            handler.handle(id, new String(message.getBody(), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            metrics.failed();
            throw e;
        }
    }
}
