package {{ java_package }}.messaging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The business logic, written once for any broker: each message is handled at most once
 * per id. Throwing makes the broker adapter retry with backoff, then dead-letter it.
 */
@Service
public class EventHandler {

    private static final Logger log = LoggerFactory.getLogger(EventHandler.class);

    private final ProcessedMessages processedMessages;
    private final ConsumerMetrics metrics;

    public EventHandler(ProcessedMessages processedMessages, ConsumerMetrics metrics) {
        this.processedMessages = processedMessages;
        this.metrics = metrics;
    }

    @Transactional
    public void handle(String messageId, String payload) {
        if (payload == null || payload.isBlank()) {
            throw new InvalidMessageException("message " + messageId + " has an empty payload");
        }
        if (!processedMessages.markProcessed(messageId)) {
            log.info("skipping duplicate message {}", messageId);
            metrics.duplicate();
            return;
        }
        // Replace with the real work; it commits or rolls back with the idempotency record.
        log.info("handled message {} ({} bytes)", messageId, payload.length());
        metrics.processed();
    }
}
