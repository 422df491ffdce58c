package com.example.orders;

public final class Application {
    static final int PORT = 8080;

    public static void main(String[] args) {
        System.out.println("orders listening on " + PORT);
    }
}
