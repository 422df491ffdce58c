package {{ java_package }}.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * Counters of handled, duplicate, failed and dead-lettered messages (Micrometer).
{%- if monitoring %}
 * The alerts and the dashboard read them as consumer_messages_processed_total,
 * _duplicate_total, _failed_total and _dead_lettered_total in Prometheus.
{%- endif %}
 */
@Component
public class ConsumerMetrics {

    private final Counter processed;
    private final Counter duplicates;
    private final Counter failed;
    private final Counter deadLettered;

    public ConsumerMetrics(MeterRegistry registry) {
        this.processed = registry.counter("consumer.messages.processed");
        this.duplicates = registry.counter("consumer.messages.duplicate");
        this.failed = registry.counter("consumer.messages.failed");
        this.deadLettered = registry.counter("consumer.messages.dead_lettered");
    }

    public void processed() {
        processed.increment();
    }

    public void duplicate() {
        duplicates.increment();
    }

    public void failed() {
        failed.increment();
    }

    public void deadLettered() {
        deadLettered.increment();
    }
}
