package com.example.paymentsworker.messaging;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;

/**
 * Retries a failing record with exponential backoff (4 attempts in all),
 * then publishes it to `<topic>.DLT` with the exception in its headers (and every header it
 * came with, `message-id` included). Invalid messages skip the retries. Spring Boot
 * applies this error handler to every listener.
 */
@Configuration
public class KafkaErrorHandling {

    /**
     * The dead-letter topic, created at start-up when missing, with the broker's default
     * partitions and replication (brokers usually refuse to auto-create topics). If the
     * service's account may not create topics, create it with the platform's tooling:
     * start-up logs the refusal and carries on.
     */
    @Bean
    NewTopic deadLetterTopic(@Value("${app.topic}") String topic) {
        return TopicBuilder.name(topic + ".DLT").build();
    }

    @Bean
    DefaultErrorHandler errorHandler(
            KafkaTemplate<Object, Object> template,
            ConsumerMetrics metrics,
            @Value("${app.retry.max-attempts}") int maxAttempts,
            @Value("${app.retry.initial-interval-ms}") long initialIntervalMs) {
        // Partition -1: Kafka picks it by key, so the DLT needs no more partitions than it has.
        DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(template,
                (record, exception) -> new TopicPartition(record.topic() + ".DLT", -1));
        // Counted once the broker has it: a failed publish throws, and the record is retried.
        ConsumerRecordRecoverer recoverer = (record, exception) -> {
            deadLetters.accept(record, exception);
            metrics.deadLettered();
        };
        ExponentialBackOffWithMaxRetries backOff = new ExponentialBackOffWithMaxRetries(maxAttempts - 1);
        backOff.setInitialInterval(initialIntervalMs);
        backOff.setMultiplier(2.0);
        backOff.setMaxInterval(30_000);
        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
        handler.addNotRetryableExceptions(InvalidMessageException.class);
        return handler;
    }
}
