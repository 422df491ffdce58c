package com.example.mailer.messaging;

import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.retry.MessageRecoverer;
import org.springframework.amqp.rabbit.retry.RejectAndDontRequeueRecoverer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.amqp.autoconfigure.RabbitListenerRetrySettingsCustomizer;
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

    /**
     * Retries (spring.rabbitmq.listener.simple.retry), except for invalid messages, which
     * can never succeed: those go to the DLQ at once. Listener exceptions arrive wrapped,
     * hence the walk down the causes.
     */
    @Bean
    RabbitListenerRetrySettingsCustomizer skipRetriesForInvalidMessages() {
        return settings -> settings.setExceptionPredicate(RabbitTopology::isRetryable);
    }

    static boolean isRetryable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidMessageException) {
                return false;
            }
        }
        return true;
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
