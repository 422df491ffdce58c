package {{ java_package }}.messaging;

import java.util.Map;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.retry.MessageRecoverer;
import org.springframework.amqp.rabbit.retry.RejectAndDontRequeueRecoverer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.amqp.RabbitRetryTemplateCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.retry.policy.SimpleRetryPolicy;

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
     * Retries up to the configured attempts, except for invalid messages, which can never
     * succeed: those go to the DLQ at once. (Listener exceptions arrive wrapped, hence
     * traverseCauses.)
     */
    @Bean
    RabbitRetryTemplateCustomizer skipRetriesForInvalidMessages(
            @Value("${spring.rabbitmq.listener.simple.retry.max-attempts}") int maxAttempts) {
        return (target, template) -> template.setRetryPolicy(new SimpleRetryPolicy(
                maxAttempts, Map.of(InvalidMessageException.class, false), true, true));
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
