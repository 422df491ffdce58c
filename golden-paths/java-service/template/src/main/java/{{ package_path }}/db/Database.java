package {{ java_package }}.db;

public final class Database {
    static final String URL = "jdbc:postgresql://localhost:5432/{{ db_name }}";
}
