package com.example.billingapi;

public final class Application {
    static final int PORT = 8080;

    public static void main(String[] args) {
        System.out.println("billing-api listening on " + PORT);
    }
}
