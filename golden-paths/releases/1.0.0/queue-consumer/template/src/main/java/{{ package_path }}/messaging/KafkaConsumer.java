package {{ java_package }}.messaging;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Reads {{ topic }}; the message id is the `message-id` header, else topic-partition-offset. */
@Component
public class KafkaConsumer {

    private final EventHandler handler;
    private final ConsumerMetrics metrics;

    public KafkaConsumer(EventHandler handler, ConsumerMetrics metrics) {
        this.handler = handler;
        this.metrics = metrics;
    }

    @KafkaListener(topics = "${app.topic}")
    public void onMessage(ConsumerRecord<String, String> record) {
        Header header = record.headers().lastHeader("message-id");
        String id = header != null
                ? new String(header.value(), StandardCharsets.UTF_8)
                : record.topic() + "-" + record.partition() + "-" + record.offset();
        try {
            handler.handle(id, record.value());
        } catch (RuntimeException e) {
            metrics.failed();
            throw e;
        }
    }
}
