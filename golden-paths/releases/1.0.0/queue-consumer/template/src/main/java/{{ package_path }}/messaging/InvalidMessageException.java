package {{ java_package }}.messaging;

/** A message that can never succeed: dead-lettered at once, without retries. */
public class InvalidMessageException extends RuntimeException {

    public InvalidMessageException(String reason) {
        super(reason);
    }
}
