package {{ java_package }}.messaging;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The idempotency record: a message id is inserted once, in the same transaction as the
 * handling, so a redelivered or redriven message is recognised and skipped.
 */
@Repository
public class ProcessedMessages {

    private final JdbcTemplate jdbc;

    public ProcessedMessages(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** True the first time an id is seen; false for a duplicate. */
    public boolean markProcessed(String messageId) {
        return jdbc.update(
                "INSERT INTO processed_message (message_id) VALUES (?) ON CONFLICT DO NOTHING",
                messageId) == 1;
    }
}
