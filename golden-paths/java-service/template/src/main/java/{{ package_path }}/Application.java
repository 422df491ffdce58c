package {{ java_package }};

public final class Application {
    static final int PORT = {{ port }};

    public static void main(String[] args) {
        System.out.println("{{ service_name }} listening on " + PORT);
    }
}
