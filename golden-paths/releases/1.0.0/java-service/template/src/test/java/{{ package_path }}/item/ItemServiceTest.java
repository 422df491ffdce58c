package {{ java_package }}.item;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.InjectMocks;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;

@ExtendWith(MockitoExtension.class)
class ItemServiceTest {

    @Mock
    private ItemRepository repository;

    @InjectMocks
    private ItemService service;

    @Test
    void createsFromTheRequest() {
        when(repository.save(any(Item.class))).thenAnswer(call -> call.getArgument(0));

        Item item = service.create(new ItemRequest("name", "description"));

        assertThat(item.getName()).isEqualTo("name");
        assertThat(item.getCreatedAt()).isNotNull();
    }

    @Test
    void updatesAnExistingItem() {
        Item existing = new Item("old", null);
        when(repository.findById(7L)).thenReturn(Optional.of(existing));
        when(repository.save(existing)).thenReturn(existing);

        Item updated = service.update(7L, new ItemRequest("new", "changed"));

        assertThat(updated.getName()).isEqualTo("new");
        verify(repository).save(existing);
    }

    @Test
    void refusesToDeleteAMissingItem() {
        when(repository.existsById(9L)).thenReturn(false);

        assertThatThrownBy(() -> service.delete(9L)).isInstanceOf(ItemNotFoundException.class);
    }
}
