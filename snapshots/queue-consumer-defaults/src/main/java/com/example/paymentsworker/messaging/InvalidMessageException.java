package com.example.paymentsworker.messaging;

/** A message that can never succeed: dead-lettered at once, without retries. */
public class InvalidMessageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidMessageException(String reason) {
        super(reason);
    }
}
