package com.example.mailer.messaging;

import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.retry.MessageRecoverer;
import org.springframework.amqp.rabbit.retry.RejectAndDontRequeueRecoverer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The queue and its dead-letter queue `<queue>.dlq`: a message rejected after the last
 * retry (spring.rabbitmq.listener.simple.retry) is routed there by the broker.
 */
@Configuration
public class RabbitTopology {

    @Bean
    Queue inputQueue(@Value("${app.queue}") String name) {
        return QueueBuilder.durable(name)
                .quorum()
                .deadLetterExchange("")
                .deadLetterRoutingKey(name + ".dlq")
                .build();
    }

    @Bean
    Queue deadLetterQueue(@Value("${app.queue}") String name) {
        return QueueBuilder.durable(name + ".dlq").quorum().build();
    }

    /** After the last attempt: count it, then reject without requeue (to the DLQ). */
    @Bean
    MessageRecoverer deadLetterRecoverer(ConsumerMetrics metrics) {
        RejectAndDontRequeueRecoverer reject = new RejectAndDontRequeueRecoverer();
        return (message, cause) -> {
            metrics.deadLettered();
            reject.recover(message, cause);
        };
    }
}
