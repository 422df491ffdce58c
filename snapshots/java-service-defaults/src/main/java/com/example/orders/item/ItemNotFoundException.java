package com.example.orders.item;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** Answered as 404 with an application/problem+json body (RFC 9457). */
public class ItemNotFoundException extends ErrorResponseException {

    private static final long serialVersionUID = 1L;

    public ItemNotFoundException(long id) {
        super(HttpStatus.NOT_FOUND, ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "no item with id " + id), null);
    }
}
