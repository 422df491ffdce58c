package {{ java_package }}.messaging;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

/** Reads {{ queue }}; the message id is the AMQP message-id, else a hash of the body. */
@Component
public class RabbitConsumer {

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
            id = UUID.nameUUIDFromBytes(message.getBody()).toString();
        }
        try {
            handler.handle(id, new String(message.getBody(), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            metrics.failed();
            throw e;
        }
    }
}
