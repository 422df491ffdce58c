package {{ java_package }}.item;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** What a client sends to create or replace an item. */
public record ItemRequest(
        @NotBlank @Size(max = 200) String name,
        @Size(max = 2000) String description) {
}
